package dev.customersessions.events;

import static dev.customersessions.support.GraphQLClient.MANAGEMENT;
import static dev.customersessions.support.GraphQLClient.post;
import static dev.customersessions.support.GraphQLClient.vars;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.customersessions.session.SessionRetention;
import dev.customersessions.support.GraphQLWebSocket;
import dev.customersessions.support.TestApplication;
import dev.customersessions.support.WebhookReceiver;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * The outbox: every kind of stored change announces itself once, with the session's new version, in the order of the
 * changes; a refused change, a dry run and a read announce nothing; the outbox rows are exactly the changes.
 */
@QuarkusTest
class OutboxTest {

    @Inject
    SessionRetention retention;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    SessionEventHub hub;

    @Inject
    EventFeed feed;

    private static final String ALL = """
            subscription All { customerSessionsChanged { kind version integrationId session { state } } }""";

    @Test
    void everyChangeIsAnnouncedOnceAndNothingElse() throws Exception {
        TestApplication shop = TestApplication.create();
        post(MANAGEMENT, "updateApplication", vars("id", String.valueOf(shop.id), "input", vars("openSessionRetentionDays", 1)));
        try (GraphQLWebSocket socket = GraphQLWebSocket.connect(shop.authorization())) {
            int before = hub.subscriptions();
            socket.subscribe("all", ALL, vars());
            for (int waited = 0; hub.subscriptions() <= before && waited < 100; waited++) {
                Thread.sleep(100); // the subscription takes effect when it is registered: changes before it are not its own
            }
            Map<String, ?> item = vars("sku", "A", "quantity", 2, "price", "2.50");
            shop.updateOk("order", vars("cartItems", List.of(item)));                                          // CREATED 1
            ok(shop.call("addCartItems", vars("integrationId", "order", "items", List.of(vars("sku", "B", "quantity", 1, "price", "1")))),
                    "addCartItems");                                                                            // UPDATED 2
            // Refused, dry or unchanged: nothing stored, nothing announced.
            assertEquals("INVALID_STATE_TRANSITION", shop.update("order", vars("state", "partially_returned"))
                    .getString("data.updateCustomerSession.userErrors[0].code"));
            ok(shop.call("updateCustomerSession", vars("integrationId", "order", "input", vars("couponCodes", List.of("DRY")), "dry", true)),
                    "updateCustomerSession");
            shop.updateOk("order", vars());
            shop.stored("order");
            ok(shop.call("closeCustomerSession", vars("integrationId", "order")), "closeCustomerSession");              // CLOSED 3
            ok(shop.call("returnCartItems", vars("integrationId", "order", "items", List.of(vars("position", 0)))), "returnCartItems"); // RETURNED 4
            ok(shop.call("cancelCustomerSession", vars("integrationId", "order")), "cancelCustomerSession");            // CANCELLED 5
            // A merge at login: the guest's session is merged away, the customer's is the next version.
            shop.updateOk("customer", vars("profileId", "c1", "cartItems", List.of(item)));                    // CREATED 1
            shop.updateOk("guest", vars("cartItems", List.of(vars("sku", "G", "quantity", 1, "price", "3"))));  // CREATED 1
            ok(shop.call("mergeCustomerSession", vars("integrationId", "guest", "profileId", "c1")), "mergeCustomerSession"); // UPDATED 2, MERGED 2
            // Erasure: the finished session is stripped (ERASED), the open one deleted (DELETED).
            shop.updateOk("finished", vars("profileId", "gone", "state", "closed"));                            // CREATED 1
            shop.updateOk("open", vars("profileId", "gone"));                                                   // CREATED 1
            JsonPath erased = post(shop.authorization(), "eraseCustomerData", vars("profileId", "gone"));
            assertEquals(Boolean.TRUE, erased.get("data.eraseCustomerData.complete"), erased::prettify);      // ERASED 2, DELETED 2
            // Retention: an open session past its days is deleted (DELETED).
            shop.updateOk("abandoned", vars());                                                                  // CREATED 1
            age(shop, "abandoned", 2);
            retention.removeExpired();                                                                           // DELETED 2

            List<String> got = new ArrayList<>();
            for (int i = 0; i < 15; i++) {
                JsonPath message = socket.poll(GraphQLWebSocket.WAIT);
                if (message == null) {
                    break;
                }
                Map<String, Object> event = message.getMap("payload.data.customerSessionsChanged");
                got.add(event == null ? message.prettify() : event.get("integrationId") + " " + event.get("kind") + " " + event.get("version"));
            }
            assertEquals(15, got.size(), got::toString);
            assertNull(socket.poll(Duration.ofMillis(500)), "nothing more");
            // Versions of one session arrive in order; the merge's two sessions in the order it wrote them.
            assertEquals(List.of("order CREATED 1", "order UPDATED 2", "order CLOSED 3", "order RETURNED 4", "order CANCELLED 5",
                    "customer CREATED 1", "guest CREATED 1"), got.subList(0, 7), got::toString);
            assertEquals(List.of("customer UPDATED 2", "guest MERGED 2"), got.subList(7, 9).stream().sorted().toList(), got::toString);
            assertEquals(List.of("finished CREATED 1", "open CREATED 1"), got.subList(9, 11), got::toString);
            assertEquals(List.of("finished ERASED 2", "open DELETED 2"), got.subList(11, 13).stream().sorted().toList(), got::toString);
            assertEquals(List.of("abandoned CREATED 1", "abandoned DELETED 2"), got.subList(13, 15), got::toString);
        }
        // The outbox holds exactly these rows: one per stored change.
        assertEquals(15, count("select count(*) from session_event where application_id = " + shop.id));
    }

    @Test
    void aBatchWhoseDeliveryFailedIsHandedAgainAndArrivesOnce() throws Exception {
        TestApplication shop = TestApplication.create();
        AtomicInteger failures = new AtomicInteger();
        List<StoredEvent> handed = new CopyOnWriteArrayList<>();
        // A listener that fails the first time it is handed this application's events, as the hub does when the
        // database cannot be read for the sessions' snapshots.
        EventFeed.Listener failingOnce = events -> {
            List<StoredEvent> ours = events.stream().filter(e -> e.applicationId() == shop.id).toList();
            if (!ours.isEmpty() && failures.getAndIncrement() == 0) {
                throw new IllegalStateException("the sessions cannot be read (the test's failure)");
            }
            handed.addAll(ours);
        };
        try (GraphQLWebSocket socket = GraphQLWebSocket.connect(shop.authorization())) {
            int before = hub.subscriptions();
            socket.subscribe("all", ALL, vars());
            for (int waited = 0; hub.subscriptions() <= before && waited < 100; waited++) {
                Thread.sleep(100);
            }
            feed.listen(failingOnce);
            try {
                shop.updateOk("retried", vars());
                WebhookReceiver.eventually(Duration.ofSeconds(5), () -> !handed.isEmpty(), () -> "the failed batch is handed again");
                assertEquals(List.of("retried CREATED 1"), handed.stream().map(e -> e.integrationId() + " " + e.kind() + " " + e.version())
                        .toList());
                assertEquals(2, failures.get(), "failed once, then handed again once");
                // The hub was handed the batch twice too: its subscriber gets the change once.
                Map<String, Object> event = socket.next().getMap("payload.data.customerSessionsChanged");
                assertEquals(List.of("retried", "CREATED", 1), List.of(event.get("integrationId"), event.get("kind"), event.get("version")));
                assertNull(socket.poll(Duration.ofMillis(500)), "once");
            } finally {
                feed.unlisten(failingOnce);
            }
        }
    }

    private static void ok(JsonPath response, String operation) {
        assertNull(response.get("errors"), response::prettify);
        assertEquals(List.of(), response.getList("data." + operation + ".userErrors"), response::prettify);
    }

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
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(query);
                ResultSet rows = statement.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
