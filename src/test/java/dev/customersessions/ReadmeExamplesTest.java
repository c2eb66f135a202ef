package dev.customersessions;

import static dev.customersessions.support.GraphQLClient.MANAGEMENT;
import static dev.customersessions.support.GraphQLClient.assertAmount;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
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
import io.restassured.response.Response;

/**
 * The GraphiQL walk-through of README.md, operation by operation, as written: so the README cannot drift from
 * the API. Storefront operations run with an API key of a fresh application (dev mode's demo key does not
 * exist in tests), management operations with the management key.
 */
@QuarkusTest
class ReadmeExamplesTest {

    private static final Pattern MANAGEMENT_OPERATION = Pattern.compile("createApplication|defineAttribute|defineAdditionalCost|updateApplication\\(");
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
        assertEquals(14, operations.size(), "the walk-through's operations");
        Matcher keyHeader = Pattern.compile("\"Idempotency-Key\": \"([^\"]+)\"").matcher(readme.substring(start, end));
        assertTrue(keyHeader.find(), "the walk-through's Idempotency-Key");

        // The demo application of dev mode, as a test application: the catalogue the walk-through relies on.
        TestApplication shop = TestApplication.createBare();
        shop.defineAttributes(Map.of("shippingCity", "STRING"), "CUSTOMER_SESSION");
        shop.defineCosts(Map.of("shipping", "SESSION", "giftWrap", "ITEM"));
        List<JsonPath> results = new ArrayList<>();
        List<Response> responses = new ArrayList<>();
        for (String operation : operations) {
            boolean management = MANAGEMENT_OPERATION.matcher(operation).find();
            // The walk-through's management steps name the demo application, id 1 in dev mode.
            String sent = management ? operation.replace("\"1\"", "\"" + shop.id + "\"") : operation;
            var request = given().contentType(ContentType.JSON).header("Authorization", management ? MANAGEMENT : shop.authorization())
                    .body(Map.of("query", sent));
            if (operation.contains("returnCartItems")) {
                request.header("Idempotency-Key", keyHeader.group(1));
            }
            Response response = request.post("/graphql");
            String body = response.then().statusCode(200).extract().asString();
            JsonPath result = new JsonPath(body);
            assertNull(result.get("errors"), () -> operation + " answered " + body);
            results.add(result);
            responses.add(response);
        }
        assertEquals(List.of("CUSTOMER_SESSION:shippingCity"), results.get(0).getList("data.application.attributeDefinitions")
                .stream().map(d -> ((Map<?, ?>) d).get("entity") + ":" + ((Map<?, ?>) d).get("name")).toList());
        JsonPath created = results.get(1);
        assertEquals(List.of(), created.getList("data.updateCustomerSession.userErrors"));
        assertAmount("129.89", created.get("data.updateCustomerSession.customerSession.cartItemTotal"));
        assertAmount("3", created.get("data.updateCustomerSession.customerSession.cartItemAdditionalCostTotal"));
        assertAmount("4.99", created.get("data.updateCustomerSession.customerSession.additionalCostTotal"));
        assertAmount("137.88", created.get("data.updateCustomerSession.customerSession.total"));
        assertEquals(2, results.get(2).getInt("data.updateCustomerSession.customerSession.version"));
        assertEquals(3, results.get(3).getInt("data.updateCustomerSession.customerSession.version"), "what the dry run would store");
        assertAmount("23.99", results.get(3).get("data.updateCustomerSession.customerSession.total"));
        assertEquals(2, results.get(4).getInt("data.customerSession.version"), "what is stored");
        assertEquals(List.of("SUMMER"), results.get(4).getList("data.customerSession.couponCodes"), "the dry run stored nothing");
        assertEquals("closed", results.get(5).getString("data.closeCustomerSession.customerSession.state"));
        assertEquals("SESSION_NOT_OPEN", results.get(6).getString("data.updateCustomerSession.userErrors[0].code"));

        JsonPath returned = results.get(7);
        assertEquals(List.of(), returned.getList("data.returnCartItems.userErrors"));
        assertEquals("partially_returned", returned.getString("data.returnCartItems.customerSession.state"));
        assertEquals(4, returned.getInt("data.returnCartItems.customerSession.version"));
        assertAmount("59.95", returned.get("data.returnCartItems.customerSession.returnedCartItemTotal"));
        assertAmount("137.88", returned.get("data.returnCartItems.customerSession.total"));
        assertEquals(1, returned.getInt("data.returnCartItems.customerSession.cartItems[0].remainingQuantity"));
        // "Run it again with the same headers": the same answer, applied once.
        Response again = given().contentType(ContentType.JSON).header("Authorization", shop.authorization())
                .header("Idempotency-Key", keyHeader.group(1)).body(Map.of("query", operations.get(7))).post("/graphql");
        assertEquals("true", again.header("Idempotent-Replayed"));
        assertEquals(responses.get(7).asString(), again.asString());
        assertEquals(4, shop.stored("cart-1001").get("version"));

        assertEquals("cart-1001", results.get(8).getString("data.customerSessions.edges[0].node.integrationId"));
        assertEquals(List.of(), results.get(9).getList("data.createApplication.userErrors"));
        assertEquals(List.of(), results.get(10).getList("data.defineAttribute.userErrors"));
        assertEquals(List.of(), results.get(11).getList("data.defineAdditionalCost.userErrors"));
        assertEquals(true, results.get(12).getBoolean("data.updateApplication.application.cartItemFlattening"));

        JsonPath flattened = results.get(13);
        assertEquals(List.of(), flattened.getList("data.updateCustomerSession.userErrors"));
        assertEquals(List.of(0, 1, 2), flattened.getList("data.updateCustomerSession.customerSession.cartItems.position"));
        assertEquals(List.of(1, 1, 1), flattened.getList("data.updateCustomerSession.customerSession.cartItems.quantity"));
        assertAmount("59.7", flattened.get("data.updateCustomerSession.customerSession.cartItemTotal"));
        assertAmount("62.2", flattened.get("data.updateCustomerSession.customerSession.total"));
    }
}
