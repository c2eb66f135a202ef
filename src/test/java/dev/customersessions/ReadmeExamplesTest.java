package dev.customersessions;

import static dev.customersessions.support.GraphQLClient.MANAGEMENT;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.customersessions.support.TestApplication;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * The GraphiQL walk-through of README.md, operation by operation, as written: so the README cannot drift from
 * the API. Storefront operations run with an API key of a fresh application (dev mode's demo key does not
 * exist in tests), management operations with the management key.
 */
@QuarkusTest
class ReadmeExamplesTest {

    private static final Pattern GRAPHQL_BLOCK = Pattern.compile("```graphql\\n(.*?)```", Pattern.DOTALL);

    @Test
    void walkThroughOperationsWorkAsWritten() throws IOException {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        int start = readme.indexOf("## GraphiQL walk-through");
        int end = readme.indexOf("\n## ", start + 1);
        Matcher blocks = GRAPHQL_BLOCK.matcher(readme.substring(start, end));
        List<String> operations = new ArrayList<>();
        while (blocks.find()) {
            operations.add(blocks.group(1));
        }
        assertEquals(8, operations.size(), "the walk-through's operations");

        TestApplication shop = TestApplication.create();
        List<JsonPath> results = new ArrayList<>();
        for (String operation : operations) {
            String authorization = operation.contains("createApplication") ? MANAGEMENT : shop.authorization();
            String body = given().contentType(ContentType.JSON).header("Authorization", authorization)
                    .body(Map.of("query", operation)).post("/graphql").then().statusCode(200).extract().asString();
            JsonPath result = new JsonPath(body);
            assertNull(result.get("errors"), () -> operation + " answered " + body);
            results.add(result);
        }
        JsonPath created = results.get(0);
        assertEquals(List.of(), created.getList("data.updateCustomerSession.userErrors"));
        assertEquals(0, new BigDecimal("129.89").compareTo(new BigDecimal(created.getString("data.updateCustomerSession.customerSession.cartItemTotal"))));
        assertEquals(0, new BigDecimal("3").compareTo(new BigDecimal(created.getString("data.updateCustomerSession.customerSession.cartItemAdditionalCostTotal"))));
        assertEquals(0, new BigDecimal("4.99").compareTo(new BigDecimal(created.getString("data.updateCustomerSession.customerSession.additionalCostTotal"))));
        assertEquals(0, new BigDecimal("137.88").compareTo(new BigDecimal(created.getString("data.updateCustomerSession.customerSession.total"))));
        assertEquals(2, results.get(1).getInt("data.updateCustomerSession.customerSession.version"));
        assertEquals(3, results.get(2).getInt("data.updateCustomerSession.customerSession.version"), "what the dry run would store");
        assertEquals(0, new BigDecimal("23.99").compareTo(new BigDecimal(results.get(2).getString("data.updateCustomerSession.customerSession.total"))));
        assertEquals(2, results.get(3).getInt("data.customerSession.version"), "what is stored");
        assertEquals(List.of("SUMMER"), results.get(3).getList("data.customerSession.couponCodes"), "the dry run stored nothing");
        assertEquals("closed", results.get(4).getString("data.closeCustomerSession.customerSession.state"));
        assertEquals("SESSION_NOT_OPEN", results.get(5).getString("data.updateCustomerSession.userErrors[0].code"));
        assertEquals("cart-1001", results.get(6).getString("data.customerSessions.edges[0].node.integrationId"));
        assertEquals(List.of(), results.get(7).getList("data.createApplication.userErrors"));
    }
}
