package dev.customersessions;

import static dev.customersessions.support.GraphQLClient.MANAGEMENT;
import static dev.customersessions.support.GraphQLClient.apiKey;
import static dev.customersessions.support.GraphQLClient.post;
import static dev.customersessions.support.GraphQLClient.vars;
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
import java.util.HashMap;
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
 * The tutorial (docs/tutorial.md), step by step, as written: every GraphQL block is sent with the header the page
 * last told the reader to paste (the web page's publishable key, the shop server's secret key, the management key,
 * an Idempotency-Key) and the variables it told them to copy, so the tutorial cannot drift from the API. The demo
 * keys of dev mode do not exist in tests: a fresh application's keys stand in for them.
 */
@QuarkusTest
class TutorialTest {

    private static final Pattern BLOCK = Pattern.compile("```(json|graphql)\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("\"Idempotency-Key\": \"([^\"]+)\"");

    record Step(String document, String authorization, String idempotencyKey, JsonPath result, Response response) {
    }

    @Test
    void theTutorialWorksAsWritten() throws IOException {
        String tutorial = Files.readString(Path.of("docs/tutorial.md"), StandardCharsets.UTF_8);
        // The demo application of dev mode, as a test application: the catalogue the tutorial relies on.
        TestApplication shop = TestApplication.createBare();
        shop.defineAttributes(Map.of("shippingCity", "STRING"), "CUSTOMER_SESSION");
        shop.defineCosts(Map.of("shipping", "SESSION", "giftWrap", "ITEM"));
        JsonPath publishable = post(MANAGEMENT, "createApiKey", vars("applicationId", String.valueOf(shop.id), "input", Map.of("kind", "PUBLISHABLE")));
        Map<String, String> keys = Map.of("ApiKey-v1 cs_pk_demo", apiKey(publishable.getString("data.createApiKey.apiKey.key")),
                "ApiKey-v1 dev-api-key", shop.authorization(), "ManagementKey-v1 dev-management-key", MANAGEMENT);

        String header = null;
        String idempotencyKey = null;
        Map<String, Object> variables = new HashMap<>();
        List<Step> steps = new ArrayList<>();
        Matcher blocks = BLOCK.matcher(tutorial);
        while (blocks.find()) {
            String text = blocks.group(2);
            if (blocks.group(1).equals("json")) {
                if (text.contains("Authorization")) {
                    header = keys.keySet().stream().filter(text::contains).findFirst().orElseThrow(() -> new AssertionError("unknown key in " + text));
                    Matcher key = IDEMPOTENCY_KEY.matcher(text);
                    idempotencyKey = key.find() ? key.group(1) : null;
                } else {
                    assertTrue(text.contains("\"id\"") && text.contains("\"token\""), text);
                    JsonPath started = steps.get(steps.size() - 1).result();
                    variables.put("id", started.getString("data.startCustomerSession.customerSession.integrationId"));
                    variables.put("token", started.getString("data.startCustomerSession.sessionToken"));
                }
                continue;
            }
            assertTrue(header != null, "the tutorial names a header before its first operation");
            boolean management = header.startsWith("ManagementKey");
            // The management steps name the demo application, id 1 in dev mode.
            String sent = management ? text.replace("\"1\"", "\"" + shop.id + "\"") : text;
            Map<String, Object> declared = new HashMap<>();
            variables.forEach((name, value) -> {
                if (sent.contains("$" + name)) {
                    declared.put(name, value);
                }
            });
            var request = given().contentType(ContentType.JSON).header("Authorization", keys.get(header))
                    .body(Map.of("query", sent, "variables", declared));
            if (idempotencyKey != null) {
                request.header("Idempotency-Key", idempotencyKey);
            }
            Response response = request.post("/graphql");
            JsonPath result = new JsonPath(response.then().statusCode(200).extract().asString());
            steps.add(new Step(sent, keys.get(header), idempotencyKey, result, response));
        }
        assertEquals(22, steps.size(), "the tutorial's operations");
        List<JsonPath> results = steps.stream().map(Step::result).toList();
        for (int i = 0; i < results.size(); i++) {
            if (i != 8) {
                JsonPath result = results.get(i);
                assertNull(result.get("errors"), () -> steps.get(results.indexOf(result)).document() + " answered " + result.prettify());
            }
        }

        assertEquals(List.of("CUSTOMER_SESSION:shippingCity"), results.get(0).getList("data.application.attributeDefinitions")
                .stream().map(d -> ((Map<?, ?>) d).get("entity") + ":" + ((Map<?, ?>) d).get("name")).toList());
        assertEquals("EUR", results.get(0).getString("data.application.currency"));
        JsonPath started = results.get(1);
        assertEquals(List.of(), started.getList("data.startCustomerSession.userErrors"));
        assertAmount("129.89", started.get("data.startCustomerSession.customerSession.cartItemTotal"));
        assertAmount("3", started.get("data.startCustomerSession.customerSession.cartItemAdditionalCostTotal"));
        assertAmount("4.99", started.get("data.startCustomerSession.customerSession.additionalCostTotal"));
        assertAmount("137.88", started.get("data.startCustomerSession.customerSession.total"));
        assertEquals("PUBLISHABLE", started.getString("data.startCustomerSession.customerSession.cartSetBy"));
        String id = (String) variables.get("id");
        assertEquals(2, results.get(2).getInt("data.updateCustomerSession.customerSession.version"));
        assertEquals(3, results.get(3).getInt("data.updateCustomerSession.customerSession.version"), "what the dry run would store");
        assertAmount("23.99", results.get(3).get("data.updateCustomerSession.customerSession.total"));
        assertEquals(2, results.get(4).getInt("data.customerSession.version"), "what is stored");
        assertEquals(List.of("SUMMER"), results.get(4).getList("data.customerSession.couponCodes"), "the dry run stored nothing");
        // "Remove token from the variables and run the query again: null"
        assertNull(new JsonPath(given().contentType(ContentType.JSON).header("Authorization", steps.get(4).authorization())
                .body(Map.of("query", steps.get(4).document(), "variables", Map.of("id", id))).post("/graphql").asString())
                .get("data.customerSession"));
        // Line operations: the hat gets line id 3, two of them, then the line is gone; the other lines keep their ids.
        assertEquals(List.of(1, 2, 3), results.get(5).getList("data.addCartItems.customerSession.cartItems.lineId").stream()
                .map(lineId -> Integer.valueOf(lineId.toString())).toList());
        assertAmount("156.88", results.get(5).get("data.addCartItems.customerSession.total"));
        assertEquals(List.of(2, 1, 2), results.get(6).getList("data.updateCartItems.customerSession.cartItems.quantity"));
        assertEquals(4, results.get(6).getInt("data.updateCartItems.customerSession.version"));
        assertAmount("175.88", results.get(6).get("data.updateCartItems.customerSession.total"));
        assertEquals(5, results.get(7).getInt("data.removeCartItems.customerSession.version"));
        assertAmount("137.88", results.get(7).get("data.removeCartItems.customerSession.total"));
        assertEquals(List.of("SHOE-RED-42", "SOCKS-3PACK"), results.get(7).getList("data.removeCartItems.customerSession.cartItems.sku"));
        assertEquals("FORBIDDEN", results.get(8).getString("errors[0].extensions.code"), "a page may not list sessions");

        // Login: the guest cart merged into the customer's earlier cart, which stays open with all three lines.
        assertEquals(1, results.get(9).getInt("data.updateCustomerSession.customerSession.version"));
        JsonPath merged = results.get(10);
        assertEquals(List.of(), merged.getList("data.mergeCustomerSession.userErrors"), merged::prettify);
        assertEquals("customer-42-phone", merged.getString("data.mergeCustomerSession.customerSession.integrationId"));
        assertEquals(List.of("HAT", "SHOE-RED-42", "SOCKS-3PACK"), merged.getList("data.mergeCustomerSession.customerSession.cartItems.sku"));
        assertEquals(List.of("1", "2", "3"), merged.getList("data.mergeCustomerSession.customerSession.cartItems.lineId").stream()
                .map(String::valueOf).toList());
        assertAmount("156.88", merged.get("data.mergeCustomerSession.customerSession.total"));
        assertEquals(2, merged.getInt("data.mergeCustomerSession.customerSession.version"));
        assertEquals("PUBLISHABLE", merged.getString("data.mergeCustomerSession.customerSession.cartSetBy"));
        assertEquals(List.of(Map.of("integrationId", id, "state", "merged", "mergedInto", "customer-42-phone")),
                merged.getList("data.mergeCustomerSession.mergedSessions"));
        assertEquals("closed", results.get(11).getString("data.closeCustomerSession.customerSession.state"));
        assertEquals("SESSION_NOT_OPEN", results.get(12).getString("data.updateCustomerSession.userErrors[0].code"));

        JsonPath returned = results.get(13);
        assertEquals(List.of(), returned.getList("data.returnCartItems.userErrors"));
        assertEquals("partially_returned", returned.getString("data.returnCartItems.customerSession.state"));
        assertEquals(4, returned.getInt("data.returnCartItems.customerSession.version"));
        assertAmount("59.95", returned.get("data.returnCartItems.customerSession.returnedCartItemTotal"));
        assertAmount("156.88", returned.get("data.returnCartItems.customerSession.total"));
        assertEquals(1, returned.getInt("data.returnCartItems.customerSession.cartItems[1].remainingQuantity"));
        // "Run it again with the same headers": the same answer, applied once.
        Step returnStep = steps.get(13);
        Response again = given().contentType(ContentType.JSON).header("Authorization", returnStep.authorization())
                .header("Idempotency-Key", returnStep.idempotencyKey()).body(Map.of("query", returnStep.document(), "variables", Map.of()))
                .post("/graphql");
        assertEquals("true", again.header("Idempotent-Replayed"));
        assertEquals(returnStep.response().asString(), again.asString());
        assertEquals(4, shop.stored("customer-42-phone").get("version"));
        assertEquals("merged", shop.stored(id).get("state"));

        assertEquals(List.of(id, "customer-42-phone"), results.get(14).getList("data.customerSessions.edges.node.integrationId"), "both carts");
        assertEquals(List.of(), results.get(15).getList("data.createApplication.userErrors"));
        assertEquals("SECRET", results.get(15).getString("data.createApplication.apiKey.kind"));
        assertEquals(List.of(), results.get(16).getList("data.createApiKey.userErrors"));
        assertTrue(results.get(16).getString("data.createApiKey.apiKey.key").startsWith("cs_pk_"));
        assertEquals(List.of(), results.get(17).getList("data.defineAttribute.userErrors"));
        assertEquals(List.of(), results.get(18).getList("data.defineAdditionalCost.userErrors"));
        assertEquals(true, results.get(19).getBoolean("data.updateApplication.application.cartItemFlattening"));

        JsonPath flattened = results.get(20);
        assertEquals(List.of(), flattened.getList("data.updateCustomerSession.userErrors"));
        assertEquals(List.of(0, 1, 2), flattened.getList("data.updateCustomerSession.customerSession.cartItems.position"));
        assertEquals(List.of(1, 1, 1), flattened.getList("data.updateCustomerSession.customerSession.cartItems.quantity"));
        assertAmount("59.7", flattened.get("data.updateCustomerSession.customerSession.cartItemTotal"));
        assertAmount("62.2", flattened.get("data.updateCustomerSession.customerSession.total"));
        assertEquals(false, results.get(21).getBoolean("data.updateApplication.application.cartItemFlattening"), "the demo left as found");
    }
}
