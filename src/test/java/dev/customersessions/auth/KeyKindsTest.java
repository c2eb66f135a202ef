package dev.customersessions.auth;

import static dev.customersessions.support.GraphQLClient.MANAGEMENT;
import static dev.customersessions.support.GraphQLClient.apiKey;
import static dev.customersessions.support.GraphQLClient.post;
import static dev.customersessions.support.GraphQLClient.vars;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.customersessions.support.GraphQLClient;
import dev.customersessions.support.TestApplication;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * Key kinds and what they show; session tokens as a page uses them; server keys refused from web pages; a publishable
 * key's allowed origins; and the kind of key that last set a cart.
 */
@QuarkusTest
class KeyKindsTest {

    private static final String SHOP_ORIGIN = "https://shop.example.com"; // allowed by CORS in the test profile

    private static JsonPath createKey(TestApplication shop, Map<String, ?> input) {
        return post(MANAGEMENT, "createApiKey", vars("applicationId", String.valueOf(shop.id), "input", input));
    }

    private static String key(TestApplication shop, Map<String, ?> input) {
        JsonPath created = createKey(shop, input);
        assertEquals(List.of(), created.getList("data.createApiKey.userErrors"), created::prettify);
        return created.getString("data.createApiKey.apiKey.key");
    }

    @Test
    void eachKindShowsInItsPrefixAndTheListingShowsKindScopesOriginsAndLastUse() throws InterruptedException {
        TestApplication shop = TestApplication.createBare();
        String secret = key(shop, Map.of("name", "order service"));
        String restricted = key(shop, Map.of("kind", "RESTRICTED", "scopes", List.of("READ_SESSIONS", "READ_SESSIONS")));
        String publishable = key(shop, Map.of("kind", "PUBLISHABLE", "allowedOrigins", List.of("https://Shop.Example.com")));
        assertTrue(secret.startsWith("cs_sk_") && secret.length() >= 6 + 43, secret);
        assertTrue(restricted.startsWith("cs_rk_"), restricted);
        assertTrue(publishable.startsWith("cs_pk_"), publishable);

        // The first key of an application (made before kinds existed, or by createApplication) is secret.
        post(apiKey(publishable), "application", vars());
        List<Map<String, Object>> keys = post(MANAGEMENT, "apiKeys", vars("applicationId", String.valueOf(shop.id))).getList("data.apiKeys.nodes");
        assertEquals(List.of("SECRET", "SECRET", "RESTRICTED", "PUBLISHABLE"), keys.stream().map(k -> k.get("kind")).toList());
        assertEquals("order service", keys.get(1).get("name"));
        assertEquals(List.of("READ_SESSIONS"), keys.get(2).get("scopes"), "scopes without duplicates");
        assertEquals(List.of("https://shop.example.com"), keys.get(3).get("allowedOrigins"), "origins lower case");
        assertEquals(List.of(), keys.get(0).get("allowedOrigins"));
        keys.forEach(k -> assertNull(k.get("key"), "never the plain key again"));
        assertEquals("cs_pk_", ((String) keys.get(3).get("prefix")).substring(0, 6));

        // Last use is recorded in the background, to the minute.
        String lastUsed = null;
        for (int i = 0; i < 50 && lastUsed == null; i++) {
            Thread.sleep(100);
            lastUsed = post(MANAGEMENT, "apiKeys", vars("applicationId", String.valueOf(shop.id))).getString("data.apiKeys.nodes[3].lastUsed");
        }
        assertNotNull(lastUsed, "the publishable key's use is recorded");
        assertTrue(lastUsed.matches(".*T\\d\\d:\\d\\d:00Z"), lastUsed);
        assertNull(post(MANAGEMENT, "apiKeys", vars("applicationId", String.valueOf(shop.id))).get("data.apiKeys.nodes[2].lastUsed"),
                "an unused key has none");
    }

    @Test
    void aKeyOfTheWrongShapeIsRefusedWithTheFieldAtFault() {
        TestApplication shop = TestApplication.createBare();
        assertEquals(List.of("input", "scopes"), createKey(shop, Map.of("kind", "RESTRICTED")).getList("data.createApiKey.userErrors[0].field"));
        assertEquals(List.of("input", "scopes"), createKey(shop, Map.of("kind", "PUBLISHABLE", "scopes", List.of("READ_SESSIONS")))
                .getList("data.createApiKey.userErrors[0].field"));
        assertEquals(List.of("input", "allowedOrigins"), createKey(shop, Map.of("allowedOrigins", List.of(SHOP_ORIGIN)))
                .getList("data.createApiKey.userErrors[0].field"));
        JsonPath badOrigin = createKey(shop, Map.of("kind", "PUBLISHABLE", "allowedOrigins", List.of(SHOP_ORIGIN, "https://shop.example.com/cart")));
        assertEquals(List.of("input", "allowedOrigins", "1"), badOrigin.getList("data.createApiKey.userErrors[0].field"));
        assertEquals("VALIDATION_FAILED", badOrigin.getString("data.createApiKey.userErrors[0].code"));
        assertEquals("LIMIT_EXCEEDED", createKey(shop, Map.of("kind", "PUBLISHABLE", "allowedOrigins",
                Collections.nCopies(21, SHOP_ORIGIN))).getString("data.createApiKey.userErrors[0].code"));
        assertEquals("BAD_REQUEST", createKey(shop, Map.of("kind", "ROOT")).getString("errors[0].extensions.code"));
        assertEquals(1, post(MANAGEMENT, "apiKeys", vars("applicationId", String.valueOf(shop.id))).getList("data.apiKeys.nodes").size(),
                "no refused key was made");
    }

    /** A page starts a cart of two shoes at 19.99. */
    private static JsonPath startWithTwoShoes(String page) {
        return post(page, "startCustomerSession", vars("input", Map.of("cartItems",
                List.of(Map.of("sku", "shoe", "quantity", 2, "price", "19.99")))));
    }

    @Test
    void aPageStartsItsCartKeepsItWithItsTokenAndTheServerBindsAndClosesIt() {
        TestApplication shop = TestApplication.create();
        String page = apiKey(key(shop, Map.of("kind", "PUBLISHABLE")));
        JsonPath started = startWithTwoShoes(page);
        String id = started.getString("data.startCustomerSession.customerSession.integrationId");
        String token = started.getString("data.startCustomerSession.sessionToken");
        assertTrue(id.matches("cs_s_[A-Za-z0-9_-]{22}"), id);
        assertTrue(token.matches("cs_st_[A-Za-z0-9_-]{43}"), token);
        assertEquals("PUBLISHABLE", started.getString("data.startCustomerSession.customerSession.cartSetBy"));

        JsonPath changed = post(page, "updateCustomerSession", vars("integrationId", id, "sessionToken", token,
                "input", Map.of("couponCodes", List.of("WELCOME"))));
        assertEquals(List.of(), changed.getList("data.updateCustomerSession.userErrors"));
        assertEquals("39.98", post(page, "customerSession", vars("integrationId", id, "sessionToken", token)).getString("data.customerSession.total"));

        // The shop's server binds the customer, re-prices with its secret key and closes.
        Map<String, Object> bound = shop.updateOk(id, Map.of("profileId", "alice@example.com"));
        assertEquals("PUBLISHABLE", bound.get("cartSetBy"), "binding the customer is no change of the cart");
        Map<String, Object> repriced = shop.updateOk(id, Map.of("cartItems", List.of(Map.of("sku", "shoe", "quantity", 2, "price", "24.99"))));
        assertEquals("SECRET", repriced.get("cartSetBy"));
        assertEquals(List.of(), shop.call("closeCustomerSession", vars("integrationId", id)).getList("data.closeCustomerSession.userErrors"));
        assertEquals("closed", post(page, "customerSession", vars("integrationId", id, "sessionToken", token)).getString("data.customerSession.state"),
                "the page still sees its own session");

        // A dry start keeps nothing and gives no token.
        JsonPath dry = post(page, "startCustomerSession", vars("input", Map.of(), "dry", true));
        assertNull(dry.get("data.startCustomerSession.sessionToken"));
        assertNull(shop.stored(dry.getString("data.startCustomerSession.customerSession.integrationId")));
    }

    @Test
    void aPublishableKeyNeverCreatesUnderAnIdOfItsChoosing() {
        TestApplication shop = TestApplication.create();
        String page = apiKey(key(shop, Map.of("kind", "PUBLISHABLE")));
        String id = "guessable-" + UUID.randomUUID();
        JsonPath refused = post(page, "updateCustomerSession", vars("integrationId", id, "input", Map.of("couponCodes", List.of("X"))));
        assertEquals("NOT_FOUND", refused.getString("data.updateCustomerSession.userErrors[0].code"));
        assertNull(shop.stored(id), "nothing was created");
        shop.updateOk(id, Map.of("couponCodes", List.of("SERVER")));
        JsonPath taken = post(page, "updateCustomerSession", vars("integrationId", id, "input", Map.of("couponCodes", List.of("X"))));
        assertEquals(refused.getMap("data").toString().replace(id, "<id>"), taken.getMap("data").toString().replace(id, "<id>"),
                "a taken id answers as a free one");
        assertEquals(List.of("SERVER"), shop.stored(id).get("couponCodes"));
    }

    @Test
    void theServerHandsASessionToAPageAndTheOldTokenStopsWorking() {
        TestApplication shop = TestApplication.create();
        String page = apiKey(key(shop, Map.of("kind", "PUBLISHABLE")));
        String id = "server-" + UUID.randomUUID();
        shop.updateOk(id, Map.of("couponCodes", List.of("A")));
        assertNull(post(page, "customerSession", vars("integrationId", id, "sessionToken", "")).get("data.customerSession"),
                "a session without a token is no page's");
        String first = shop.call("issueSessionToken", vars("integrationId", id)).getString("data.issueSessionToken.sessionToken");
        assertEquals(id, post(page, "customerSession", vars("integrationId", id, "sessionToken", first)).getString("data.customerSession.integrationId"));
        String second = shop.call("issueSessionToken", vars("integrationId", id)).getString("data.issueSessionToken.sessionToken");
        assertNotEquals(first, second);
        assertNull(post(page, "customerSession", vars("integrationId", id, "sessionToken", first)).get("data.customerSession"));
        assertEquals(id, post(page, "customerSession", vars("integrationId", id, "sessionToken", second)).getString("data.customerSession.integrationId"));
        assertEquals("NOT_FOUND", shop.call("issueSessionToken", vars("integrationId", "no-such-" + UUID.randomUUID()))
                .getString("data.issueSessionToken.userErrors[0].code"));
    }

    @Test
    void aRepeatedStartUnderTheSameIdempotencyKeyReplaysWithoutTheToken() {
        TestApplication shop = TestApplication.create();
        String page = shop.authorization(); // the shop's server, starting a session to hand to a page
        String idempotencyKey = "start-" + UUID.randomUUID();
        Map<String, Object> body = Map.of("query", GraphQLClient.document("startCustomerSession"), "variables", Map.of("input", Map.of()));
        JsonPath first = new JsonPath(given().contentType(ContentType.JSON).header("Authorization", page).header("Idempotency-Key", idempotencyKey)
                .body(body).post("/graphql").then().statusCode(200).extract().asString());
        JsonPath again = new JsonPath(given().contentType(ContentType.JSON).header("Authorization", page).header("Idempotency-Key", idempotencyKey)
                .body(body).post("/graphql").then().statusCode(200).header("Idempotent-Replayed", "true").extract().asString());
        assertNotNull(first.get("data.startCustomerSession.sessionToken"));
        assertEquals(first.getString("data.startCustomerSession.customerSession.integrationId"),
                again.getString("data.startCustomerSession.customerSession.integrationId"), "the same session, not a second");
        assertNull(again.get("data.startCustomerSession.sessionToken"), "tokens are never stored");
    }

    @Test
    void keptAnswersAreNeverServedToAnotherKindOfKey() {
        TestApplication shop = TestApplication.create();
        String id = "kept-" + UUID.randomUUID();
        shop.updateOk(id, Map.of("cartItems", List.of(Map.of("sku", "shoe", "quantity", 1, "price", "10"))));
        String idempotencyKey = "close-" + id;
        Map<String, Object> body = Map.of("query", GraphQLClient.document("closeCustomerSession"), "variables", Map.of("integrationId", id));
        String closed = given().contentType(ContentType.JSON).header("Authorization", shop.authorization()).header("Idempotency-Key", idempotencyKey)
                .body(body).post("/graphql").then().statusCode(200).extract().asString();
        assertEquals("closed", new JsonPath(closed).getString("data.closeCustomerSession.customerSession.state"));

        // A restricted key without the scope, same body and key: refused as for any request, nothing replayed.
        String reader = apiKey(key(shop, Map.of("kind", "RESTRICTED", "scopes", List.of("READ_APPLICATION"))));
        JsonPath restricted = new JsonPath(given().contentType(ContentType.JSON).header("Authorization", reader).header("Idempotency-Key", idempotencyKey)
                .body(body).post("/graphql").then().statusCode(200).header("Idempotent-Replayed", (String) null).extract().asString());
        assertEquals("FORBIDDEN", restricted.getString("errors[0].extensions.code"), restricted::prettify);
        assertNull(restricted.get("data.closeCustomerSession"));

        // A publishable key takes no Idempotency-Key at all: every shopper's page holds it.
        String page = apiKey(key(shop, Map.of("kind", "PUBLISHABLE")));
        JsonPath refused = new JsonPath(given().contentType(ContentType.JSON).header("Authorization", page).header("Idempotency-Key", idempotencyKey)
                .body(body).post("/graphql").then().statusCode(400).extract().asString());
        assertEquals("BAD_REQUEST", refused.getString("errors[0].extensions.code"));
        assertTrue(refused.getString("errors[0].message").contains("server keys only"), refused::prettify);
    }

    private static JsonPath fromOrigin(String origin, String authorization, String document, Map<String, ?> variables) {
        Map<String, Object> body = new HashMap<>();
        body.put("query", GraphQLClient.document(document));
        body.put("variables", variables);
        var request = given().contentType(ContentType.JSON).header("Origin", origin).body(body);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return new JsonPath(request.post("/graphql").then().statusCode(200).extract().asString());
    }

    @Test
    void serverKeysAreRefusedFromAnotherOriginsPageAndSayWhy() {
        TestApplication shop = TestApplication.create();
        String id = "origin-" + UUID.randomUUID();
        for (String authorization : List.of(shop.authorization(), apiKey(key(shop, Map.of("kind", "RESTRICTED", "scopes", List.of("WRITE_SESSIONS")))))) {
            JsonPath refused = fromOrigin(SHOP_ORIGIN, authorization, "updateCustomerSession", vars("integrationId", id, "input", Map.of()));
            assertEquals("FORBIDDEN", refused.getString("errors[0].extensions.code"), refused::prettify);
            assertTrue(refused.getString("errors[0].message").contains("sent from a web page (Origin https://shop.example.com)"),
                    refused.getString("errors[0].message"));
            assertTrue(refused.getString("errors[0].message").contains("use a publishable key"));
        }
        assertNull(shop.stored(id), "nothing ran");
        assertEquals("FORBIDDEN", fromOrigin(SHOP_ORIGIN, MANAGEMENT, "applications", vars()).getString("errors[0].extensions.code"));
        // The service's own pages (GraphiQL) are same-origin: any key works there.
        String self = "http://localhost:" + RestAssured.port;
        assertEquals(List.of(), fromOrigin(self, shop.authorization(), "updateCustomerSession", vars("integrationId", id, "input", Map.of()))
                .getList("data.updateCustomerSession.userErrors"));
        assertNotNull(fromOrigin(self, MANAGEMENT, "applications", vars()).get("data.applications"));
    }

    @Test
    void aPublishableKeyWithAllowedOriginsIsRefusedFromAnyOther() {
        TestApplication shop = TestApplication.create();
        String anywhere = apiKey(key(shop, Map.of("kind", "PUBLISHABLE")));
        String elsewhere = apiKey(key(shop, Map.of("kind", "PUBLISHABLE", "allowedOrigins", List.of("https://other.example.com"))));
        String here = apiKey(key(shop, Map.of("kind", "PUBLISHABLE", "allowedOrigins", List.of("https://other.example.com", SHOP_ORIGIN))));
        assertNotNull(fromOrigin(SHOP_ORIGIN, anywhere, "startCustomerSession", vars("input", Map.of())).get("data.startCustomerSession.sessionToken"));
        assertNotNull(fromOrigin(SHOP_ORIGIN, here, "startCustomerSession", vars("input", Map.of())).get("data.startCustomerSession.sessionToken"));
        JsonPath refused = fromOrigin(SHOP_ORIGIN, elsewhere, "startCustomerSession", vars("input", Map.of()));
        assertEquals("FORBIDDEN", refused.getString("errors[0].extensions.code"));
        assertTrue(refused.getString("errors[0].message").contains("may not be used from the origin https://shop.example.com"));
        assertNotNull(post(elsewhere, "application", vars()).get("data.application"), "a request without Origin is no page's");
    }

    @Test
    void aWrongTokenTakesAsLongAsAnUnknownSession() {
        TestApplication shop = TestApplication.create();
        String page = apiKey(key(shop, Map.of("kind", "PUBLISHABLE")));
        JsonPath started = startWithTwoShoes(page);
        String id = started.getString("data.startCustomerSession.customerSession.integrationId");
        String unknown = "cs_s_" + UUID.randomUUID().toString().replace("-", "").substring(0, 22);
        String wrong = "cs_st_" + UUID.randomUUID();
        List<Long> wrongToken = new ArrayList<>();
        List<Long> unknownSession = new ArrayList<>();
        for (int i = 0; i < 260; i++) { // interleaved, the first 60 as warm-up
            long a = timed(page, id, wrong);
            long b = timed(page, unknown, wrong);
            if (i >= 60) {
                wrongToken.add(a);
                unknownSession.add(b);
            }
        }
        double ratio = (double) median(wrongToken) / median(unknownSession);
        assertTrue(ratio > 0.8 && ratio < 1.25, "median " + Duration.ofNanos(median(wrongToken)) + " with a wrong token vs "
                + Duration.ofNanos(median(unknownSession)) + " for an unknown session (ratio " + ratio + ")");
    }

    private static long timed(String authorization, String id, String token) {
        Map<String, Object> body = Map.of("query", GraphQLClient.document("customerSession"), "variables", Map.of("integrationId", id, "sessionToken", token));
        long start = System.nanoTime();
        String answer = given().contentType(ContentType.JSON).header("Authorization", authorization).body(body).post("/graphql").asString();
        long took = System.nanoTime() - start;
        assertTrue(answer.startsWith("{\"data\":{\"customerSession\":null}"), answer);
        return took;
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
