package dev.customersessions.idempotency;

import static dev.customersessions.support.GraphQLClient.MANAGEMENT;
import static dev.customersessions.support.GraphQLClient.document;
import static dev.customersessions.support.GraphQLClient.vars;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.customersessions.support.Concurrently;
import dev.customersessions.support.GraphQLClient;
import dev.customersessions.support.TestApplication;
import io.agroal.api.AgroalDataSource;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * Idempotency-Key (spec section 7): a repeat gets the first answer and applies nothing, another request under the
 * key is refused, concurrent repeats apply once, keys are per application and expire. Returning one unit is the
 * mutation of choice: applied twice, it would show (returnedQuantity 2, two returns).
 */
@QuarkusTest
class IdempotencyTest {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    Scheduler scheduler;

    static Response send(String authorization, String key, String documentName, Map<String, ?> variables) {
        return GraphQLClient.keyed(authorization, key, documentName, variables);
    }

    static Response returnOne(TestApplication shop, String key, String id) {
        return send(shop.authorization(), key, "returnCartItems", vars("integrationId", id, "items", List.of(vars("position", 0, "quantity", 1))));
    }

    static TestApplication shopWithClosedOrder(String id) {
        TestApplication shop = TestApplication.create();
        shop.updateOk(id, Map.of("state", "closed", "cartItems", List.of(vars("sku", "A", "quantity", 10, "price", "2.5"))));
        return shop;
    }

    private static int returned(TestApplication shop, String id) {
        Map<String, Object> session = shop.stored(id);
        return (Integer) ((List<Map<String, Object>>) session.get("cartItems")).get(0).get("returnedQuantity");
    }

    @Test
    void aRepeatGetsTheFirstAnswerAndAppliesNothing() {
        TestApplication shop = shopWithClosedOrder("order");
        String key = UUID.randomUUID().toString();
        Response first = returnOne(shop, key, "order");
        assertEquals(200, first.statusCode());
        assertNull(first.header("Idempotent-Replayed"));
        assertEquals(List.of(), first.jsonPath().getList("data.returnCartItems.userErrors"));

        Response repeat = returnOne(shop, key, "order");
        assertEquals(200, repeat.statusCode());
        assertEquals("true", repeat.header("Idempotent-Replayed"));
        assertEquals(first.asString(), repeat.asString());
        assertEquals(1, returned(shop, "order"));
        assertEquals(2, shop.stored("order").get("version"));

        // Without a key, the same request applies again: the key is what makes a retry harmless.
        returnOne(shop, null, "order");
        assertEquals(2, returned(shop, "order"));
    }

    @Test
    void theSameKeyWithAnotherRequestIsRefused() {
        TestApplication shop = shopWithClosedOrder("order");
        String key = UUID.randomUUID().toString();
        returnOne(shop, key, "order");
        Map<String, Object> before = shop.stored("order");
        Response other = send(shop.authorization(), key, "returnCartItems",
                vars("integrationId", "order", "items", List.of(vars("position", 0, "quantity", 2))));
        assertEquals(422, other.statusCode());
        assertEquals("IDEMPOTENCY_KEY_REUSED", other.jsonPath().getString("errors[0].extensions.code"));
        assertNull(other.jsonPath().get("data"));
        assertEquals(before, shop.stored("order"));
    }

    @Test
    void concurrentRequestsWithOneKeyApplyOnce() throws Exception {
        TestApplication shop = shopWithClosedOrder("order");
        String key = UUID.randomUUID().toString();
        int clients = 8;
        Set<String> bodies = new HashSet<>();
        int replayed = 0;
        for (Response response : Concurrently.call(clients, client -> returnOne(shop, key, "order"))) {
            assertEquals(200, response.statusCode(), response::asString);
            bodies.add(response.asString());
            replayed += "true".equals(response.header("Idempotent-Replayed")) ? 1 : 0;
        }
        assertEquals(clients - 1, replayed);
        assertEquals(1, bodies.size(), "every client got the one answer");
        assertEquals(1, returned(shop, "order"));
        assertEquals(1, ((List<?>) shop.stored("order").get("returns")).size());
    }

    @Test
    void keysBelongToTheirApplicationAndToManagement() throws Exception {
        TestApplication shop = shopWithClosedOrder("order");
        TestApplication other = shopWithClosedOrder("order");
        String key = UUID.randomUUID().toString();
        returnOne(shop, key, "order");
        Response elsewhere = returnOne(other, key, "order");
        assertNull(elsewhere.header("Idempotent-Replayed"));
        assertEquals(1, returned(other, "order"));

        Response firstKey = send(MANAGEMENT, key, "createApiKey", vars("applicationId", String.valueOf(shop.id)));
        Response again = send(MANAGEMENT, key, "createApiKey", vars("applicationId", String.valueOf(shop.id)));
        assertEquals("true", again.header("Idempotent-Replayed"));
        String plainKey = firstKey.jsonPath().getString("data.createApiKey.apiKey.key");
        assertTrue(plainKey != null && !plainKey.isEmpty());
        // The plain key is shown once: the kept answer leaves it out, and so does the replay.
        assertEquals(firstKey.jsonPath().getString("data.createApiKey.apiKey.id"), again.jsonPath().getString("data.createApiKey.apiKey.id"));
        assertNull(again.jsonPath().get("data.createApiKey.apiKey.key"));
        assertEquals(0, storedAnswersContaining(plainKey));
        JsonPath keys = dev.customersessions.support.GraphQLClient.post(MANAGEMENT, "apiKeys", vars("applicationId", String.valueOf(shop.id)));
        assertEquals(2, keys.getList("data.apiKeys.nodes").size(), "the first key and one more, not two");
    }

    @Test
    void aRefusalIsKeptAndADryRunKeepsNothing() {
        TestApplication shop = shopWithClosedOrder("order");
        String refusedKey = UUID.randomUUID().toString();
        Response refused = send(shop.authorization(), refusedKey, "returnCartItems",
                vars("integrationId", "order", "items", List.of(vars("position", 0, "quantity", 11))));
        assertEquals("RETURN_EXCEEDS_REMAINING", refused.jsonPath().getString("data.returnCartItems.userErrors[0].code"));
        Response refusedAgain = send(shop.authorization(), refusedKey, "returnCartItems",
                vars("integrationId", "order", "items", List.of(vars("position", 0, "quantity", 11))));
        assertEquals("true", refusedAgain.header("Idempotent-Replayed"));
        assertEquals(refused.asString(), refusedAgain.asString());

        String dryKey = UUID.randomUUID().toString();
        Response dry = send(shop.authorization(), dryKey, "returnCartItems",
                vars("integrationId", "order", "items", List.of(vars("position", 0, "quantity", 1)), "dry", true));
        assertEquals(1, dry.jsonPath().getInt("data.returnCartItems.customerSession.cartItems[0].returnedQuantity"));
        assertEquals(0, returned(shop, "order"));
        Response real = returnOne(shop, dryKey, "order");
        assertNull(real.header("Idempotent-Replayed"), "the dry run stored no key");
        assertEquals(1, returned(shop, "order"));
    }

    @Test
    void keysThatCannotWorkAreRefusedBeforeAnythingRuns() {
        TestApplication shop = shopWithClosedOrder("order");
        Response tooLong = returnOne(shop, "k".repeat(256), "order");
        assertEquals(400, tooLong.statusCode());
        assertEquals("BAD_REQUEST", tooLong.jsonPath().getString("errors[0].extensions.code"));
        assertEquals(200, returnOne(shop, "k".repeat(255), "order").statusCode());
        Map<String, Object> before = shop.stored("order");

        String twoMutations = "mutation { a: closeCustomerSession(integrationId: \"order\") { userErrors { code } } "
                + "b: cancelCustomerSession(integrationId: \"order\") { userErrors { code } } }";
        Response two = given().contentType(ContentType.JSON).header("Authorization", shop.authorization())
                .header("Idempotency-Key", UUID.randomUUID().toString()).body(Map.of("query", twoMutations)).post("/graphql");
        assertEquals(400, two.statusCode());
        assertEquals(before, shop.stored("order"), "nothing ran");

        // A query ignores the key.
        Response query = send(shop.authorization(), "query-key", "customerSession", vars("integrationId", "order"));
        assertEquals(200, query.statusCode());
        assertNull(query.header("Idempotent-Replayed"));
    }

    @Test
    void anExpiredKeyCountsAsNewEvenBeforeTheJobRemovesIt() throws Exception {
        TestApplication shop = shopWithClosedOrder("order");
        String key = UUID.randomUUID().toString();
        returnOne(shop, key, "order");
        scheduler.pause();
        try {
            ageKey(key);
            Response afterExpiry = returnOne(shop, key, "order");
            assertNull(afterExpiry.header("Idempotent-Replayed"));
            assertEquals(2, returned(shop, "order"));
            assertEquals(1, keysNamed(key), "the expired answer was replaced by the new one");
            assertEquals("true", returnOne(shop, key, "order").header("Idempotent-Replayed"));
        } finally {
            scheduler.resume();
        }
    }

    @Test
    void expiredKeysAreRemovedByTheScheduledJob() throws Exception {
        TestApplication shop = shopWithClosedOrder("order");
        String key = UUID.randomUUID().toString();
        returnOne(shop, key, "order");
        assertEquals(1, keysNamed(key));
        ageKey(key);
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (keysNamed(key) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertEquals(0, keysNamed(key), "removed by the job (customer-sessions.idempotency.cleanup-interval=1s in tests)");
        Response afterExpiry = returnOne(shop, key, "order");
        assertNull(afterExpiry.header("Idempotent-Replayed"));
        assertEquals(2, returned(shop, "order"));
        assertNotEquals(0, keysNamed(key));
    }

    @Test
    void aDuplicateWaitsForTheFirstAtMostTheLockTimeout() throws Exception {
        TestApplication shop = shopWithClosedOrder("order");
        String key = UUID.randomUUID().toString();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            // Another instance working under the key: it holds the key's lock.
            try (PreparedStatement lock = connection.prepareStatement("select pg_advisory_xact_lock(hashtextextended(?, 0))")) {
                lock.setString(1, "idempotency:application:" + shop.id + ":" + key);
                lock.executeQuery().close();
            }
            Response waited = returnOne(shop, key, "order");
            assertEquals(200, waited.statusCode(), waited::asString); // as BUSY is without a key: a field error
            assertEquals("BUSY", waited.jsonPath().getString("errors[0].extensions.code"));
            assertEquals("1", waited.getHeader("Retry-After"), "a retryable answer says when to retry");
            assertNull(waited.jsonPath().get("data.returnCartItems"));
            connection.rollback();
        }
        assertEquals(0, returned(shop, "order"), "nothing applied");
        assertEquals(200, returnOne(shop, key, "order").statusCode());
        assertEquals(1, returned(shop, "order"));
    }

    @Test
    void anAnswerTooLargeToKeepIsAppliedOnceAndNotReplayed() {
        TestApplication shop = TestApplication.create();
        dev.customersessions.support.GraphQLClient.post(MANAGEMENT, "updateApplication",
                vars("id", String.valueOf(shop.id), "input", Map.of("cartItemFlattening", true)));
        List<Map<String, Object>> items = new java.util.ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            items.add(vars("sku", "SKU-" + i, "quantity", 10, "price", "0.01"));
        }
        String key = UUID.randomUUID().toString();
        Map<String, ?> request = vars("integrationId", "big", "input", Map.of("cartItems", items));
        Response first = send(shop.authorization(), key, "updateCustomerSession", request);
        assertEquals(200, first.statusCode());
        assertTrue(first.asString().length() > (1 << 20), "an answer over 1 MiB");
        Response repeat = send(shop.authorization(), key, "updateCustomerSession", request);
        assertEquals(409, repeat.statusCode());
        assertEquals("ALREADY_APPLIED", repeat.jsonPath().getString("errors[0].extensions.code"));
        assertEquals(1, shop.stored("big").get("version"));

        // The same request without a key: the same answer (the key changes what is kept, not what is answered).
        Response unkeyed = send(shop.authorization(), null, "updateCustomerSession", vars("integrationId", "big2", "input", Map.of("cartItems", items)));
        assertEquals(200, unkeyed.statusCode());
        assertEquals(first.jsonPath().getMap("data.updateCustomerSession.customerSession.cartItems[0]"),
                unkeyed.jsonPath().getMap("data.updateCustomerSession.customerSession.cartItems[0]"));
        assertEquals(first.jsonPath().getList("data.updateCustomerSession.customerSession.cartItems").size(),
                unkeyed.jsonPath().getList("data.updateCustomerSession.customerSession.cartItems").size());
    }

    private void ageKey(String key) throws Exception {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement age = connection.prepareStatement("update idempotency_key set created = now() - interval '25 hours' where key = ?")) {
            age.setString(1, key);
            assertEquals(1, age.executeUpdate());
        }
    }

    private int storedAnswersContaining(String text) throws Exception {
        return count("select count(*) from idempotency_key where strpos(response, ?) > 0", text);
    }

    private int keysNamed(String key) throws Exception {
        return count("select count(*) from idempotency_key where key = ?", key);
    }

    private int count(String query, String parameter) throws Exception {
        try (Connection connection = dataSource.getConnection(); PreparedStatement count = connection.prepareStatement(query)) {
            count.setString(1, parameter);
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }
}
