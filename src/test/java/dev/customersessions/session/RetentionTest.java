package dev.customersessions.session;

import static dev.customersessions.support.GraphQLClient.MANAGEMENT;
import static dev.customersessions.support.GraphQLClient.post;
import static dev.customersessions.support.GraphQLClient.vars;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.customersessions.support.Concurrently;
import dev.customersessions.support.GraphQLClient;
import dev.customersessions.support.TestApplication;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Retention: the application's settings (defaults, limits, switching off), and the job that deletes what is past them,
 * run here by the test (its schedule is off in tests) with sessions whose last change is set back in the database.
 * Batches are 3 sessions in tests, so every run crosses batch boundaries.
 */
@QuarkusTest
class RetentionTest {

    @Inject
    SessionRetention retention;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    MeterRegistry metrics;

    @BeforeEach
    void noLeftovers() {
        retention.removeExpired(); // whatever other tests left past its retention, so that counts here are this test's
    }

    @Test
    void settingsHaveDefaultsLimitsAndAWayToSwitchRetentionOff() {
        JsonPath created = post(MANAGEMENT, "createApplication", vars("input", vars("name", "Defaults", "currency", "EUR")));
        assertEquals(90, created.getInt("data.createApplication.application.openSessionRetentionDays"));
        assertNull(created.get("data.createApplication.application.finishedSessionRetentionDays"), "finished sessions kept by default");
        String id = created.getString("data.createApplication.application.id");

        for (int refused : new int[] {0, -1, 3651}) {
            JsonPath answer = update(id, vars("openSessionRetentionDays", refused, "finishedSessionRetentionDays", refused));
            assertEquals(List.of("VALIDATION_FAILED", "VALIDATION_FAILED"), answer.getList("data.updateApplication.userErrors.code"), answer::prettify);
            assertEquals(List.of(List.of("input", "openSessionRetentionDays"), List.of("input", "finishedSessionRetentionDays")),
                    answer.getList("data.updateApplication.userErrors.field"));
        }
        JsonPath fractional = update(id, vars("openSessionRetentionDays", 1.5));
        assertEquals("BAD_REQUEST", fractional.getString("errors[0].extensions.code"), "whole days only: " + fractional.prettify());
        assertEquals(Map.of("openSessionRetentionDays", 90), retentionOf(id), "a refusal changes nothing");

        assertEquals(Map.of("openSessionRetentionDays", 1, "finishedSessionRetentionDays", 3650),
                settings(update(id, vars("openSessionRetentionDays", 1, "finishedSessionRetentionDays", 3650))));
        assertEquals(Map.of("openSessionRetentionDays", 1, "finishedSessionRetentionDays", 3650), settings(update(id, vars("name", "Renamed"))),
                "a field left out keeps its value");
        assertEquals(Map.of("finishedSessionRetentionDays", 3650), settings(update(id, vars("openSessionRetentionDays", null))),
                "null switches the retention of open sessions off");
        assertEquals(Map.of(), settings(update(id, vars("finishedSessionRetentionDays", null))));

        JsonPath kept = post(MANAGEMENT, "createApplication", vars("input", vars("name", "Keeps", "currency", "EUR",
                "openSessionRetentionDays", null, "finishedSessionRetentionDays", 30)));
        assertNull(kept.get("data.createApplication.application.openSessionRetentionDays"), kept::prettify);
        assertEquals(30, kept.getInt("data.createApplication.application.finishedSessionRetentionDays"));
        JsonPath own = GraphQLClient.post(GraphQLClient.apiKey(kept.getString("data.createApplication.apiKey.key")), "application", vars());
        assertNull(own.get("data.application.openSessionRetentionDays"), own::prettify);
        assertEquals(30, own.getInt("data.application.finishedSessionRetentionDays"));
    }

    @Test
    void sessionsPastTheirRetentionAreDeletedWithEverythingTheyHold() throws Exception {
        TestApplication shop = TestApplication.create();
        setRetention(shop, 10, 30);
        Map<String, ?> cart = vars("cartItems", List.of(vars("sku", "A", "quantity", 2, "price", "3.50",
                "additionalCosts", List.of(vars("name", "handling", "price", "1.00")))), "additionalCosts", List.of(vars("name", "shipping", "price", "4.99")));
        for (String id : List.of("open-old", "open-fresh", "closed-old", "closed-fresh", "returned-old", "cancelled-old")) {
            shop.updateOk(id, cart);
        }
        for (String id : List.of("closed-old", "closed-fresh", "returned-old")) {
            assertEquals(List.of(), shop.call("closeCustomerSession", vars("integrationId", id)).getList("data.closeCustomerSession.userErrors"));
        }
        assertEquals(List.of(), shop.call("returnCartItems", vars("integrationId", "returned-old", "items", List.of(vars("position", 0))))
                .getList("data.returnCartItems.userErrors"));
        assertEquals(List.of(), shop.call("cancelCustomerSession", vars("integrationId", "cancelled-old")).getList("data.cancelCustomerSession.userErrors"));
        String key = "retention-" + UUID.randomUUID();
        assertEquals(200, GraphQLClient.keyed(shop.authorization(), key, "updateCustomerSession",
                vars("integrationId", "open-old", "input", vars("couponCodes", List.of("KEPT")))).statusCode());
        assertEquals(1, count("select count(*) from idempotency_key where key = '" + key + "' and session_id is not null"),
                "the kept answer names its session");
        List<Long> old = List.of(idOf(shop, "open-old"), idOf(shop, "closed-old"), idOf(shop, "returned-old"), idOf(shop, "cancelled-old"));
        age(shop, "open-old", 11);
        age(shop, "open-fresh", 9);
        age(shop, "closed-old", 31);
        age(shop, "closed-fresh", 29);
        age(shop, "returned-old", 31);
        age(shop, "cancelled-old", 40);
        double open = deleted("open");
        double finished = deleted("finished");

        assertEquals(4, retention.removeExpired());

        for (String id : List.of("open-old", "closed-old", "returned-old", "cancelled-old")) {
            assertNull(shop.stored(id), id + " is deleted");
        }
        for (String id : List.of("open-fresh", "closed-fresh")) {
            assertNotNull(shop.stored(id), id + " is kept");
        }
        String ids = old.toString().replace('[', '(').replace(']', ')');
        for (String table : List.of("cart_item", "session_additional_cost", "cart_item_return", "idempotency_key")) {
            assertEquals(0, count("select count(*) from " + table + " where session_id in " + ids), table + " rows go with their session");
        }
        assertEquals(0, count("select count(*) from cart_item_additional_cost c left join cart_item i on i.id = c.cart_item_id where i.id is null"));
        assertEquals(0, count("select count(*) from idempotency_key where key = '" + key + "'"), "the kept answer goes with its session");
        assertEquals(open + 1, deleted("open"));
        assertEquals(finished + 3, deleted("finished"));
        given().port(9001).get("/q/metrics").then().statusCode(200)
                .body(containsString("customer_sessions_deleted_total{reason=\"retention\",state=\"finished\"}"));

        assertEquals(0, retention.removeExpired(), "a second run finds nothing more");
    }

    @Test
    void anApplicationWithoutRetentionKeepsItsSessions() throws Exception {
        TestApplication shop = TestApplication.create();
        assertEquals(Map.of(), settings(update(String.valueOf(shop.id), vars("openSessionRetentionDays", null))));
        shop.updateOk("abandoned", vars("couponCodes", List.of("X")));
        age(shop, "abandoned", 3000);
        TestApplication defaults = TestApplication.create();
        defaults.updateOk("abandoned", vars("couponCodes", List.of("X")));
        defaults.updateOk("closed", vars("state", "closed"));
        age(defaults, "abandoned", 91);
        age(defaults, "closed", 3000);

        assertEquals(1, retention.removeExpired());
        assertNotNull(shop.stored("abandoned"), "kept forever");
        assertNull(defaults.stored("abandoned"), "90 days by default");
        assertNotNull(defaults.stored("closed"), "finished sessions are kept by default");
    }

    @Test
    void twoRunsAtOnceDeleteEachSessionOnce() throws Exception {
        TestApplication shop = TestApplication.create();
        setRetention(shop, 5, 5);
        for (int i = 0; i < 30; i++) {
            shop.updateOk("s" + i, i % 2 == 0 ? vars("couponCodes", List.of("X")) : vars("state", "closed"));
            age(shop, "s" + i, 6);
        }
        shop.updateOk("fresh", vars("couponCodes", List.of("X")));
        double before = deleted("open") + deleted("finished");

        List<Integer> runs = Concurrently.call(2, client -> retention.removeExpired());

        assertEquals(30, runs.get(0) + runs.get(1), "every expired session deleted by one run: " + runs);
        assertEquals(before + 30, deleted("open") + deleted("finished"), "and counted once");
        assertEquals(1, count("select count(*) from customer_session where application_id = " + shop.id));
    }

    @Test
    void aSessionLockedByAWriterIsSkippedAndDeletedByALaterRun() throws Exception {
        TestApplication shop = TestApplication.create();
        setRetention(shop, 5, null);
        shop.updateOk("busy", vars("couponCodes", List.of("X")));
        shop.updateOk("idle", vars("couponCodes", List.of("X")));
        age(shop, "busy", 6);
        age(shop, "idle", 6);
        try (Connection writer = dataSource.getConnection()) {
            writer.setAutoCommit(false);
            try (PreparedStatement lock = writer.prepareStatement(
                    "select id from customer_session where application_id = ? and integration_id = 'busy' for update")) {
                lock.setLong(1, shop.id);
                lock.executeQuery().close();
            }
            long started = System.nanoTime();
            assertEquals(1, retention.removeExpired());
            assertTrue(System.nanoTime() - started < 1_500_000_000L, "the job does not wait for the writer (lock timeout 2 s)");
            assertNull(shop.stored("idle"));
            writer.rollback();
        }
        assertNotNull(shop.stored("busy"), "skipped while locked");
        assertEquals(1, retention.removeExpired());
        assertNull(shop.stored("busy"), "deleted by the next run");
    }

    // ---- helpers ----------------------------------------------------------------------------------------------------

    private static JsonPath update(String id, Map<String, ?> input) {
        return post(MANAGEMENT, "updateApplication", vars("id", id, "input", input));
    }

    /** The retention settings an answer of updateApplication shows, the ones set only. */
    private static Map<String, Object> settings(JsonPath answer) {
        assertEquals(List.of(), answer.getList("data.updateApplication.userErrors"), answer::prettify);
        Map<String, Object> application = answer.getMap("data.updateApplication.application");
        Map<String, Object> set = new HashMap<>();
        for (String field : List.of("openSessionRetentionDays", "finishedSessionRetentionDays")) {
            if (application.get(field) != null) {
                set.put(field, ((Number) application.get(field)).intValue());
            }
        }
        return set;
    }

    private static Map<String, Object> retentionOf(String id) {
        return settings(update(id, vars()));
    }

    private static void setRetention(TestApplication shop, Integer open, Integer finished) {
        settings(update(String.valueOf(shop.id), vars("openSessionRetentionDays", open, "finishedSessionRetentionDays", finished)));
    }

    private double deleted(String state) {
        return metrics.counter(SessionRetention.DELETED_METRIC, "reason", "retention", "state", state).count();
    }

    private long idOf(TestApplication shop, String integrationId) throws Exception {
        return count("select id from customer_session where application_id = " + shop.id + " and integration_id = '" + integrationId + "'");
    }

    /** Sets the session's last change {@code days} days (and a minute) back. */
    private void age(TestApplication shop, String integrationId, int days) throws Exception {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(
                "update customer_session set updated = now() - make_interval(days => ?, mins => 1) where application_id = ? and integration_id = ?")) {
            statement.setInt(1, days);
            statement.setLong(2, shop.id);
            statement.setString(3, integrationId);
            assertEquals(1, statement.executeUpdate());
        }
    }

    private long count(String query) throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(query)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
