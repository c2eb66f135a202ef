package dev.customersessions.idempotency;

import static dev.customersessions.idempotency.IdempotencyTest.send;
import static dev.customersessions.support.GraphQLClient.MANAGEMENT;
import static dev.customersessions.support.GraphQLClient.vars;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;

import dev.customersessions.support.GraphQLClient;
import dev.customersessions.support.TestApplication;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The Idempotency-Key travels to the service call that writes, whose transaction keeps the answer: every mutation
 * takes it; the change and its kept answer commit together or not at all; the write's transaction does not depend on
 * the thread that finishes the request.
 */
@QuarkusTest
class IdempotentWritesTest {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    IdempotentWrites writes;

    @Inject
    EntityManager entityManager;

    /** A request for each mutation of the schema: sent twice under one key, the second is the first's kept answer. */
    @Test
    void everyMutationOfTheSchemaKeepsItsAnswer() throws Exception {
        TestApplication shop = TestApplication.create();
        String secret = shop.authorization();
        String endpointId = webhookEndpoint(secret, "CREATED"); // the sessions made below queue deliveries to it
        String endpointToDelete = webhookEndpoint(secret, "CLOSED");
        shop.updateOk("open", Map.of("cartItems", List.of(vars("sku", "A", "quantity", 2, "price", "3.50"))));
        shop.updateOk("closed", Map.of("state", "closed", "cartItems", List.of(vars("sku", "A", "quantity", 2, "price", "3.50"))));
        shop.updateOk("to-cancel", Map.of());
        shop.updateOk("to-close", Map.of());
        shop.updateOk("lines", Map.of("cartItems", List.of(vars("sku", "A", "quantity", 2, "price", "3.50"))));
        shop.updateOk("to-merge", Map.of("cartItems", List.of(vars("sku", "B", "quantity", 1, "price", "1.00"))));
        String applicationId = String.valueOf(shop.id);
        String keyToRevoke = GraphQLClient.post(MANAGEMENT, "createApiKey", vars("applicationId", applicationId))
                .getString("data.createApiKey.apiKey.id");
        String deliveryId = awaitDelivery(secret, endpointId);
        Map<String, Function<String, Response>> requests = new LinkedHashMap<>();
        requests.put("updateCustomerSession", key -> send(secret, key, "updateCustomerSession",
                vars("integrationId", "open", "input", Map.of("couponCodes", List.of("SPRING")))));
        requests.put("startCustomerSession", key -> send(secret, key, "startCustomerSession", vars("input", Map.of())));
        requests.put("issueSessionToken", key -> send(secret, key, "issueSessionToken", vars("integrationId", "open")));
        requests.put("closeCustomerSession", key -> send(secret, key, "closeCustomerSession", vars("integrationId", "to-close")));
        requests.put("cancelCustomerSession", key -> send(secret, key, "cancelCustomerSession", vars("integrationId", "to-cancel")));
        requests.put("returnCartItems", key -> send(secret, key, "returnCartItems",
                vars("integrationId", "closed", "items", List.of(vars("position", 0, "quantity", 1)))));
        requests.put("addCartItems", key -> send(secret, key, "addCartItems",
                vars("integrationId", "lines", "items", List.of(vars("sku", "B", "quantity", 1, "price", "1.25")))));
        requests.put("updateCartItems", key -> send(secret, key, "updateCartItems",
                vars("integrationId", "lines", "items", List.of(vars("lineId", "1", "quantity", 3)))));
        requests.put("removeCartItems", key -> send(secret, key, "removeCartItems", vars("integrationId", "lines", "lineIds", List.of("2"))));
        requests.put("eraseCustomerData", key -> send(secret, key, "eraseCustomerData", vars("profileId", "nobody@example.com")));
        requests.put("mergeCustomerSession", key -> send(secret, key, "mergeCustomerSession",
                vars("integrationId", "to-merge", "profileId", "ann", "strategy", "MERGE_LINES")));
        requests.put("createApplication", key -> send(MANAGEMENT, key, "createApplication", vars("input", Map.of("name", "Kept", "currency", "EUR"))));
        requests.put("updateApplication", key -> send(MANAGEMENT, key, "updateApplication", vars("id", applicationId,
                "input", Map.of("name", "Renamed"))));
        requests.put("defineAttribute", key -> send(MANAGEMENT, key, "defineAttribute", vars("applicationId", applicationId,
                "input", vars("entity", "CUSTOMER_SESSION", "name", "channel", "type", "STRING"))));
        requests.put("defineAdditionalCost", key -> send(MANAGEMENT, key, "defineAdditionalCost", vars("applicationId", applicationId,
                "input", vars("name", "wrapping", "title", "Gift wrapping", "scope", "SESSION"))));
        requests.put("createApiKey", key -> send(MANAGEMENT, key, "createApiKey", vars("applicationId", applicationId)));
        requests.put("revokeApiKey", key -> send(MANAGEMENT, key, "revokeApiKey", vars("id", keyToRevoke)));
        requests.put("createWebhookEndpoint", key -> send(secret, key, "createWebhookEndpoint",
                vars("input", vars("url", "https://203.0.113.8/hooks", "eventKinds", List.of("CLOSED")))));
        requests.put("updateWebhookEndpoint", key -> send(secret, key, "updateWebhookEndpoint", vars("id", endpointId,
                "input", vars("eventKinds", List.of("CREATED", "UPDATED")))));
        requests.put("rotateWebhookSecret", key -> send(secret, key, "rotateWebhookSecret", vars("id", endpointId)));
        requests.put("deleteWebhookEndpoint", key -> send(secret, key, "deleteWebhookEndpoint", vars("id", endpointToDelete)));
        requests.put("redeliverWebhook", key -> send(MANAGEMENT, key, "redeliverWebhook", vars("deliveryId", deliveryId)));

        assertEquals(mutationsOfTheSchema(), new TreeSet<>(requests.keySet()), "a request for every mutation of schema.graphql");
        for (Map.Entry<String, Function<String, Response>> request : requests.entrySet()) {
            String key = UUID.randomUUID().toString();
            Response first = request.getValue().apply(key);
            assertEquals(200, first.statusCode(), first::asString);
            assertNull(first.jsonPath().get("errors"), first::asString);
            assertEquals(List.of(), first.jsonPath().getList("data." + request.getKey() + ".userErrors"), first::asString);
            Response repeat = request.getValue().apply(key);
            assertEquals(200, repeat.statusCode(), repeat::asString);
            assertEquals("true", repeat.header("Idempotent-Replayed"), request.getKey() + " keeps its answer under the key");
            assertEquals(1, count("select count(*) from idempotency_key where key = '" + key + "'"), request.getKey());
            String shownOnce = first.jsonPath().getString("data." + request.getKey() + ".webhookEndpoint.secret");
            if (shownOnce != null) {
                assertFalse(repeat.asString().contains(shownOnce), request.getKey() + " keeps no signing secret under the key");
            }
        }
        assertEquals(2, shop.stored("open").get("version"), "the update applied once");
        assertEquals(4, shop.stored("lines").get("version"), "each line operation applied once");
        assertEquals(1, count("select count(*) from application where name = 'Kept'"), "createApplication applied once");
    }

    /** A webhook endpoint of the key's application, of one kind of events, at an address no test reaches. */
    private static String webhookEndpoint(String authorization, String kind) {
        var created = GraphQLClient.post(authorization, "createWebhookEndpoint",
                vars("input", vars("url", "https://203.0.113.7/hooks", "eventKinds", List.of(kind))));
        assertEquals(List.of(), created.getList("data.createWebhookEndpoint.userErrors"), created::prettify);
        return created.getString("data.createWebhookEndpoint.webhookEndpoint.id");
    }

    /** A delivery of the endpoint, once the fan-out has queued one. */
    private static String awaitDelivery(String authorization, String endpointId) throws InterruptedException {
        for (int i = 0; i < 400; i++) {
            List<String> ids = GraphQLClient.post(authorization, "webhookDeliveries", vars("endpointId", endpointId))
                    .getList("data.webhookDeliveries.nodes.id");
            if (!ids.isEmpty()) {
                return ids.get(0);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no delivery queued for endpoint " + endpointId);
    }

    private static TreeSet<String> mutationsOfTheSchema() throws Exception {
        String schema = Files.readString(Path.of("schema.graphql"));
        Matcher type = Pattern.compile("type Mutation \\{(.*?)\\n}", Pattern.DOTALL).matcher(schema);
        if (!type.find()) {
            throw new AssertionError("schema.graphql has no Mutation type");
        }
        TreeSet<String> names = new TreeSet<>();
        Matcher field = Pattern.compile("(?m)^  ([a-zA-Z]+)\\(").matcher(type.group(1));
        while (field.find()) {
            names.add(field.group(1));
        }
        return names;
    }

    /**
     * Keeping the answer fails (here a trigger refuses the row of one key): the change it answers is not committed
     * either, and a retry with the same key applies it once.
     */
    @Test
    void theChangeAndItsKeptAnswerCommitTogetherOrNotAtAll() throws Exception {
        TestApplication shop = TestApplication.create();
        shop.updateOk("cart", Map.of("cartItems", List.of(vars("sku", "A", "quantity", 1, "price", "1.00"))));
        Map<String, Object> before = shop.stored("cart");
        String key = "refused-by-trigger-" + UUID.randomUUID();
        Map<String, ?> change = vars("integrationId", "cart", "input", Map.of("cartItems", List.of(vars("sku", "B", "quantity", 3, "price", "2.00"))));
        Map<String, ?> refused = vars("integrationId", "cart", "expectedVersion", 7, "input", Map.of("couponCodes", List.of("X")));
        execute("create function refuse_one_key() returns trigger language plpgsql as $$ begin "
                + "if new.key like 'refused-by-trigger-%' then raise exception 'not this key'; end if; return new; end $$");
        execute("create trigger refuse_one_key before insert or update on idempotency_key for each row execute function refuse_one_key()");
        try {
            Response applied = send(shop.authorization(), key, "updateCustomerSession", change);
            assertEquals(500, applied.statusCode(), applied::asString);
            assertEquals("INTERNAL", applied.jsonPath().getString("errors[0].extensions.code"));
            assertNull(applied.jsonPath().get("data"), "no answer that was not committed");
            assertEquals(before, shop.stored("cart"), "the change was rolled back with its answer");

            Response refusal = send(shop.authorization(), key, "updateCustomerSession", refused);
            assertEquals(500, refusal.statusCode(), refusal::asString);
            assertEquals(before, shop.stored("cart"));
            assertEquals(0, count("select count(*) from idempotency_key where key = '" + key + "'"), "nothing kept");
        } finally {
            execute("drop trigger refuse_one_key on idempotency_key");
            execute("drop function refuse_one_key()");
        }
        Response retried = send(shop.authorization(), key, "updateCustomerSession", change);
        assertEquals(200, retried.statusCode(), retried::asString);
        assertNull(retried.header("Idempotent-Replayed"));
        assertEquals(2, shop.stored("cart").get("version"));
        assertEquals("true", send(shop.authorization(), key, "updateCustomerSession", change).header("Idempotent-Replayed"));
        assertEquals(2, shop.stored("cart").get("version"), "applied once");
    }

    /**
     * A request refused by the checks of its input (here a return of 0 units) is refused inside its write, so the
     * refusal is kept under the key like one refused by the stored state.
     */
    @Test
    void aRefusalOfTheInputIsKeptToo() throws Exception {
        TestApplication shop = TestApplication.create();
        shop.updateOk("order", Map.of("state", "closed", "cartItems", List.of(vars("sku", "A", "quantity", 2, "price", "1.00"))));
        String key = UUID.randomUUID().toString();
        Map<String, ?> zeroUnits = vars("integrationId", "order", "items", List.of(vars("position", 0, "quantity", 0)));
        Response refused = send(shop.authorization(), key, "returnCartItems", zeroUnits);
        assertEquals("VALIDATION_FAILED", refused.jsonPath().getString("data.returnCartItems.userErrors[0].code"), refused::asString);
        assertEquals(1, count("select count(*) from idempotency_key where key = '" + key + "'"), "the refusal is kept");
        Response repeat = send(shop.authorization(), key, "returnCartItems", zeroUnits);
        assertEquals("true", repeat.header("Idempotent-Replayed"));
        assertEquals(refused.asString(), repeat.asString());
    }

    /**
     * The write's transaction is handed over, not bound to a thread: begun on one thread, its answer kept and committed
     * on another, the change and the answer are both stored.
     */
    @Test
    void aWriteIsKeptAndCommittedOnAnotherThreadThanTheOneThatRanIt() throws Exception {
        RequestKey key = new RequestKey("thread-test", UUID.randomUUID().toString(), "fingerprint");
        String marker = "thread-" + UUID.randomUUID();
        CompletableFuture.runAsync(() -> writes.run(key, () -> entityManager.createNativeQuery(
                "insert into idempotency_key (scope, key, fingerprint, response, created) values ('marker', ?1, 'f', null, now())")
                .setParameter(1, marker).executeUpdate())).get();
        assertEquals(0, count("select count(*) from idempotency_key where key = '" + marker + "'"), "not committed before its answer");
        CompletableFuture.runAsync(() -> writes.keep(key, "{\"data\":{}}")).get();
        assertEquals(1, count("select count(*) from idempotency_key where key = '" + marker + "'"), "the change");
        assertEquals(1, count("select count(*) from idempotency_key where scope = 'thread-test' and key = '" + key.key() + "'"), "its answer");
    }

    private void execute(String sql) throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private int count(String query) throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                var rows = statement.executeQuery(query)) {
            rows.next();
            return rows.getInt(1);
        }
    }
}
