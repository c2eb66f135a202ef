package dev.customersessions;

import static dev.customersessions.support.GraphQLClient.vars;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
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

import dev.customersessions.support.GraphQLClient;
import dev.customersessions.support.TestApplication;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * The answers the README, docs/errors.md and docs/limits.md show are the answers served: the README's request is
 * sent as written and its answer compared, and the error examples of errors.md and limits.md are produced and their
 * messages compared, so that no page can drift from the API. (The tutorial has its own test, TutorialTest.)
 */
@QuarkusTest
class DocumentedAnswersTest {

    private static final Pattern JSON_BLOCK = Pattern.compile("```json\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern CURL_BODY = Pattern.compile("-d '(.*?)'", Pattern.DOTALL);

    private static String read(String page) throws IOException {
        return Files.readString(Path.of(page), StandardCharsets.UTF_8);
    }

    private static List<JsonPath> jsonBlocks(String text) {
        List<JsonPath> blocks = new ArrayList<>();
        Matcher block = JSON_BLOCK.matcher(text);
        while (block.find()) {
            blocks.add(new JsonPath(block.group(1)));
        }
        return blocks;
    }

    private static JsonPath send(String authorization, String body) {
        return new JsonPath(given().contentType(ContentType.JSON).header("Authorization", authorization).body(body)
                .post("/graphql").then().statusCode(200).extract().asString());
    }

    @Test
    void theReadmesRequestGetsTheAnswerShown() throws IOException {
        String readme = read("README.md");
        Matcher curl = CURL_BODY.matcher(readme);
        assertTrue(curl.find(), "the README shows a curl request");
        assertTrue(readme.contains("-H 'Authorization: ApiKey-v1 dev-api-key'"), "with the demo secret key");
        JsonPath shown = jsonBlocks(readme).get(0);
        JsonPath served = send(TestApplication.create().authorization(), curl.group(1));
        assertEquals(shown.getMap("data"), served.getMap("data"), served::prettify);
        for (String cost : List.of("extensions.cost.requestedQueryCost", "extensions.cost.actualQueryCost")) {
            assertEquals(shown.getInt(cost), served.getInt(cost), cost);
        }
    }

    @Test
    void theErrorExamplesAreTheMessagesServed() throws IOException {
        List<JsonPath> examples = jsonBlocks(read("docs/errors.md"));
        TestApplication shop = TestApplication.create();
        shop.defineAttributes(Map.of("material", "STRING"), "CART_ITEM");

        JsonPath userErrors = shop.update("documented", Map.of("cartItems", List.of(
                vars("sku", "A", "quantity", 1, "price", "1", "attributes", List.of(Map.of("name", "material", "stringValue", "felt"),
                        Map.of("name", "Colour", "stringValue", "red"))),
                vars("sku", "B", "quantity", 1, "price", "2"),
                vars("sku", "C", "quantity", 1, "price", "1.0000001"))));
        assertEquals(examples.get(0).getList("data.updateCustomerSession.userErrors"),
                userErrors.getList("data.updateCustomerSession.userErrors"), userErrors::prettify);

        JsonPath unknownKey = GraphQLClient.post(GraphQLClient.apiKey("cs_sk_unknown"), "updateCustomerSession",
                vars("integrationId", "documented", "input", Map.of()));
        JsonPath shownKey = examples.get(1);
        assertEquals(shownKey.getString("errors[0].message"), unknownKey.getString("errors[0].message"), unknownKey::prettify);
        assertEquals(shownKey.getList("errors[0].path"), unknownKey.getList("errors[0].path"));
        assertEquals(shownKey.getString("errors[0].extensions.code"), unknownKey.getString("errors[0].extensions.code"));

        JsonPath malformed = shop.update("documented", Map.of("colour", "red",
                "cartItems", List.of(vars("sku", "A", "quantity", 1, "price", "cheap"))));
        JsonPath shownMalformed = examples.get(2);
        for (String part : List.of("message", "extensions.code", "extensions.field")) {
            assertEquals(shownMalformed.getList("errors." + part), malformed.getList("errors." + part), malformed::prettify);
        }
    }

    @Test
    void theLimitExampleIsTheMessageServed() throws IOException {
        JsonPath shown = jsonBlocks(read("docs/limits.md")).get(0);
        JsonPath served = GraphQLClient.postDocument(TestApplication.create().authorization(),
                "{ a: customerSessions(first: 100) { nodes { id } } b: customerSessions(first: 100) { nodes { id } } }", null);
        for (String part : List.of("message", "extensions")) { // the example leaves out the empty locations
            assertEquals(shown.getList("errors." + part), served.getList("errors." + part), served::prettify);
        }
    }
}
