package dev.customersessions;

import static dev.customersessions.support.GraphQLClient.MANAGEMENT;
import static dev.customersessions.support.GraphQLClient.document;
import static dev.customersessions.support.GraphQLClient.vars;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.customersessions.application.KeyHashing;
import dev.customersessions.support.Concurrently;
import dev.customersessions.support.GraphQLClient;
import dev.customersessions.support.GraphQLWebSocket;
import dev.customersessions.support.PgBouncerDatabase;
import dev.customersessions.support.TestApplication;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;

/**
 * The acceptance flow of the packaged application behind PgBouncer (PgBouncerIT: transaction mode,
 * PgBouncerSessionModeIT: session mode), configured as docs/pooler.md says: the tutorial as written (inherited:
 * updates, line operations, a merge at login, close, return, an Idempotency-Key replay, listing), then what a pooler
 * could break: cancel; a revoked key; sixteen concurrent writers on four server sessions; the lock timeout; a
 * subscription's event. The application reaches the database only through PgBouncer (but for its cache listener in
 * transaction mode).
 */
abstract class PgBouncerAcceptance extends TutorialTest {

    @Test
    void cancelAndListing() {
        TestApplication shop = TestApplication.create();
        shop.updateOk("kept", Map.of("cartItems", List.of(vars("sku", "A", "quantity", 1, "price", "1.10"))));
        shop.updateOk("dropped", Map.of("cartItems", List.of(vars("sku", "B", "quantity", 2, "price", "2.20"))));
        JsonPath cancelled = shop.call("cancelCustomerSession", vars("integrationId", "dropped"));
        assertEquals(List.of(), cancelled.getList("data.cancelCustomerSession.userErrors"), cancelled::prettify);
        assertEquals("cancelled", cancelled.getString("data.cancelCustomerSession.customerSession.state"));
        JsonPath listed = shop.call("customerSessions", vars("first", 10));
        assertEquals(List.of("kept", "dropped"), listed.getList("data.customerSessions.edges.node.integrationId"));
        assertEquals(List.of("open", "cancelled"), listed.getList("data.customerSessions.edges.node.state"));
    }

    /**
     * The key is cached (revoked behind the service's back it is still served), an eviction another replica sends
     * (pg_notify, through PgBouncer) reaches this instance's listener at once, and a key revoked through the API is
     * refused at once.
     */
    @Test
    void aRevokedKeyIsRefusedAtOnce() throws Exception {
        TestApplication shop = TestApplication.create();
        assertEquals("OK", read(shop.apiKey));
        try (Connection direct = PgBouncerDatabase.direct()) {
            update(direct, "update api_key set revoked = now() where application_id = ?", shop.id);
        }
        assertEquals("OK", read(shop.apiKey), "served from the cache");
        try (Connection pooled = PgBouncerDatabase.pooled(); PreparedStatement notify = pooled.prepareStatement("select pg_notify(?, ?)")) {
            notify.setString(1, "customer_sessions_cache");
            notify.setString(2, "api-key:" + KeyHashing.sha256Hex(shop.apiKey));
            notify.executeQuery().close();
        }
        long start = System.nanoTime();
        String status = read(shop.apiKey);
        while (status.equals("OK") && System.nanoTime() - start < 500_000_000L) {
            Thread.sleep(5);
            status = read(shop.apiKey);
        }
        assertEquals("UNAUTHENTICATED", status, "evicted within 500 ms (the cache's expiry is 10 s)");

        JsonPath issued = GraphQLClient.post(MANAGEMENT, "createApiKey", vars("applicationId", String.valueOf(shop.id), "input", Map.of("kind", "SECRET")));
        String key = issued.getString("data.createApiKey.apiKey.key");
        assertEquals("OK", read(key));
        JsonPath revoked = GraphQLClient.post(MANAGEMENT, "revokeApiKey", vars("id", issued.getString("data.createApiKey.apiKey.id")));
        assertEquals(List.of(), revoked.getList("data.revokeApiKey.userErrors"), revoked::prettify);
        assertEquals("UNAUTHENTICATED", read(key));
    }

    /**
     * Sixteen clients at once, each writing its own session and all of them one shared session (in transaction mode on
     * PgBouncer's four server sessions, all PostgreSQL has for them): no error, no lost line.
     */
    @Test
    void sixteenConcurrentWriters() throws Exception {
        TestApplication shop = TestApplication.create();
        shop.updateOk("shared", Map.of());
        int clients = 16;
        int rounds = 5;
        List<List<String>> problems = Concurrently.call(clients, client -> {
            List<String> wrong = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                JsonPath own = shop.update("own-" + client, Map.of("cartItems", List.of(vars("sku", "S" + round, "quantity", round + 1, "price", "0.10"))));
                JsonPath added = shop.call("addCartItems", vars("integrationId", "shared",
                        "items", List.of(vars("sku", "C" + client + "-" + round, "quantity", 1, "price", "0.01"))));
                if (own.get("errors") != null || !own.getList("data.updateCustomerSession.userErrors").isEmpty()) {
                    wrong.add(own.prettify());
                }
                if (added.get("errors") != null || !added.getList("data.addCartItems.userErrors").isEmpty()) {
                    wrong.add(added.prettify());
                }
            }
            return wrong;
        });
        assertEquals(List.of(), problems.stream().flatMap(List::stream).toList());
        Map<String, Object> shared = shop.stored("shared");
        assertEquals(clients * rounds, ((List<?>) shared.get("cartItems")).size());
        assertEquals(0, new BigDecimal("0.80").compareTo(new BigDecimal(shared.get("total").toString())), "80 lines of 0.01");
        assertEquals(1 + clients * rounds, shared.get("version"));
        for (int client = 0; client < clients; client++) {
            assertEquals(rounds, shop.stored("own-" + client).get("version"));
        }
        if (PgBouncerDatabase.poolMode().equals("transaction")) {
            int serverSessions = PgBouncerDatabase.serverSessions();
            assertTrue(serverSessions >= 1 && serverSessions <= PgBouncerDatabase.SERVER_SESSIONS, serverSessions + " server sessions");
        }
    }

    /** Writers waiting for a session another transaction holds get BUSY after the configured lock timeout (1 s). */
    @Test
    void aWriterWaitsForALockedSessionAtMostTheLockTimeout() throws Exception {
        TestApplication shop = TestApplication.create();
        Map<String, Object> before = shop.updateOk("hot", Map.of("couponCodes", List.of("KEEP")));
        try (Connection holder = PgBouncerDatabase.direct()) {
            holder.setAutoCommit(false);
            update(holder, "select id from customer_session where application_id = ? and integration_id = 'hot' for update", shop.id);
            long started = System.nanoTime();
            List<JsonPath> answers = Concurrently.call(8, writer -> shop.update("hot", Map.of("couponCodes", List.of("W" + writer))));
            long millis = (System.nanoTime() - started) / 1_000_000;
            for (JsonPath answer : answers) {
                assertEquals("BUSY", answer.getString("errors[0].extensions.code"), answer::prettify);
            }
            assertTrue(millis >= 900 && millis < 5000, "the writers waited " + millis + " ms (lock timeout 1 s)");
            holder.rollback();
        }
        assertEquals(before, shop.stored("hot"));
    }

    @Test
    void aSubscriptionReceivesTheChange() {
        TestApplication shop = TestApplication.create();
        shop.updateOk("watched", Map.of());
        try (GraphQLWebSocket socket = GraphQLWebSocket.connect(shop.authorization())) {
            socket.subscribe("1", document("customerSessionChanged"), vars("integrationId", "watched"));
            assertNull(socket.poll(Duration.ofMillis(300)), "nothing before a change");
            shop.updateOk("watched", Map.of("cartItems", List.of(vars("sku", "A", "quantity", 2, "price", "1.25"))));
            Map<String, Object> changed = socket.data("1");
            @SuppressWarnings("unchecked")
            Map<String, Object> event = (Map<String, Object>) changed.get("customerSessionChanged");
            assertEquals("UPDATED", event.get("kind"));
            assertEquals(2, event.get("version"));
        }
    }

    private static String read(String key) {
        return ApiKeyRevocationTwoInstancesIT.read(RestAssured.port, key);
    }

    private static void update(Connection connection, String sql, long applicationId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, applicationId);
            if (statement.execute()) {
                try (ResultSet rows = statement.getResultSet()) {
                    assertTrue(rows.next(), sql);
                }
            } else {
                assertTrue(statement.getUpdateCount() > 0, sql);
            }
        }
    }
}
