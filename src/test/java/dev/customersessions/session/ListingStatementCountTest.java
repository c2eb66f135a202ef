package dev.customersessions.session;

import static dev.customersessions.support.GraphQLClient.vars;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.hibernate.SessionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.customersessions.support.TestApplication;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Listing sessions with their carts and totals costs a fixed number of SQL statements, whatever the page size:
 * no statement per session (N+1); and an update writes only the cart lines that changed. Counted by Hibernate's
 * statistics, enabled in the test profile.
 */
@QuarkusTest
class ListingStatementCountTest {

    @Inject
    SessionFactory sessionFactory;

    /** Its cleanup of expired idempotency keys (every second in tests) would count among the statements. */
    @Inject
    Scheduler scheduler;

    @BeforeEach
    void pauseScheduledJobs() {
        scheduler.pause();
    }

    @AfterEach
    void resumeScheduledJobs() {
        scheduler.resume();
    }

    private long statementsFor(TestApplication shop, int first) {
        sessionFactory.getStatistics().clear();
        JsonPath response = shop.call("customerSessionsWithCarts", vars("first", first));
        long statements = sessionFactory.getStatistics().getPrepareStatementCount();
        List<Map<String, Object>> nodes = response.getList("data.customerSessions.edges.node");
        assertEquals(first, nodes.size());
        for (Map<String, Object> node : nodes) {
            assertEquals(3, ((List<?>) node.get("cartItems")).size());
            // 3 items: 2 × 10.25 + 1 × 0.5 + 4 × 1.125 = 25.5; costs 2 × 0.99 = 1.98; shipping 4.5
            assertEquals(0, new BigDecimal("31.98").compareTo(new BigDecimal(node.get("total").toString())));
        }
        return statements;
    }

    @Test
    void fiftySessionsCostAsManyStatementsAsFive() {
        TestApplication shop = TestApplication.create();
        for (int i = 0; i < 50; i++) {
            shop.updateOk("s-" + i, Map.of(
                    "additionalCosts", List.of(Map.of("name", "shipping", "price", "4.5")),
                    "cartItems", List.of(
                            vars("sku", "A", "quantity", 2, "price", "10.25", "additionalCosts", List.of(Map.of("name", "wrap", "price", "0.99"))),
                            vars("sku", "B", "quantity", 1, "price", "0.5"),
                            vars("sku", "C", "quantity", 4, "price", "1.125"))));
        }
        long forFive = statementsFor(shop, 5);
        long forFifty = statementsFor(shop, 50);
        assertEquals(forFive, forFifty, "the statement count does not grow with the page");
        // API key, page of sessions, their session-level costs, their cart items with the items' costs.
        assertTrue(forFifty <= 4, "at most 4 statements, got " + forFifty);
    }

    @Test
    void aCartThatGrowsByOneLineWritesOneCartItemRow() {
        TestApplication shop = TestApplication.create();
        List<Map<String, Object>> cart = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            cart.add(vars("sku", "SKU-" + i, "quantity", 1, "price", "1.5",
                    "additionalCosts", List.of(Map.of("name", "wrap", "price", "0.25"))));
        }
        shop.updateOk("growing", Map.of("cartItems", cart));
        cart.add(vars("sku", "SKU-20", "quantity", 2, "price", "3"));

        sessionFactory.getStatistics().clear();
        Map<String, Object> grown = shop.updateOk("growing", Map.of("cartItems", cart));
        var items = sessionFactory.getStatistics().getEntityStatistics(CartItem.class.getName());
        assertEquals(1, items.getInsertCount(), "the new line");
        assertEquals(0, items.getUpdateCount(), "the 20 unchanged lines are not written");
        assertEquals(21, ((List<?>) grown.get("cartItems")).size());
        assertEquals(0, new BigDecimal("36").compareTo(new BigDecimal(grown.get("cartItemTotal").toString())));
        assertEquals(2, grown.get("version"));
    }
}
