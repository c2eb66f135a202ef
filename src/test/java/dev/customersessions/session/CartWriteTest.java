package dev.customersessions.session;

import static dev.customersessions.support.GraphQLClient.vars;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.customersessions.support.TestApplication;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * An update writes only the cart lines that changed: the rows of the others stay as they are (the same row versions,
 * PostgreSQL's xmin), so that a large cart that grows by one line costs one row.
 */
@QuarkusTest
class CartWriteTest {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    CustomerSessionRepository sessions;

    /** A lock outside a transaction would be released as soon as it is taken, a write would commit on its own. */
    @Test
    void locksAndWritesRefuseToRunOutsideATransaction() {
        TestApplication shop = TestApplication.create();
        shop.updateOk("outside", Map.of("cartItems", cart(1)));
        long id = Long.parseLong(shop.stored("outside").get("id").toString());
        assertThrows(IllegalStateException.class, () -> sessions.lockWithCart(shop.id, "outside", null));
        assertThrows(IllegalStateException.class, () -> sessions.isFirstSession(shop.id, "profile"));
        assertThrows(IllegalStateException.class, () -> sessions.update(id, SessionContent.EMPTY, SessionContent.EMPTY, SessionState.cancelled,
                OffsetDateTime.now(), null, 1, SessionEventKind.CANCELLED));
        assertThrows(IllegalStateException.class, () -> sessions.insertReturn(id, OffsetDateTime.now(),
                List.of(new CartItemReturn.Line(0, 1)), SessionState.partially_returned));
        assertThrows(IllegalStateException.class, () -> sessions.replaceToken(shop.id, "outside", null));
        assertEquals(1, shop.stored("outside").get("version"), "nothing was written");
    }

    /** The database gives each session and cart line one id of an identity column: a new cart's lines have consecutive ids. */
    @Test
    void eachCartLineTakesOneId() {
        TestApplication shop = TestApplication.create();
        shop.updateOk("ids", Map.of("cartItems", cart(3)));
        List<Long> ids = cartColumn(shop, "ids", "i.id::text").values().stream().map(Long::valueOf).toList();
        assertEquals(List.of(ids.get(0), ids.get(0) + 1, ids.get(0) + 2), ids);
    }

    @Test
    void aCartThatGrowsByOneLineWritesOneCartItemRow() {
        TestApplication shop = TestApplication.create();
        List<Map<String, Object>> cart = cart(20);
        shop.updateOk("growing", Map.of("cartItems", cart));
        Map<Integer, String> before = rowVersions(shop, "growing");
        cart.add(vars("sku", "SKU-20", "quantity", 2, "price", "3"));

        Map<String, Object> grown = shop.updateOk("growing", Map.of("cartItems", cart));
        Map<Integer, String> after = rowVersions(shop, "growing");
        assertEquals(21, after.size());
        for (int position = 0; position < 20; position++) {
            assertEquals(before.get(position), after.get(position), "the unchanged line at " + position + " is not written");
        }
        assertEquals(21, ((List<?>) grown.get("cartItems")).size());
        assertEquals(0, new BigDecimal("36").compareTo(new BigDecimal(grown.get("cartItemTotal").toString())));
        assertEquals(2, grown.get("version"));
    }

    /** A line operation writes as little: adding one line, or changing one, writes that line's row only. */
    @Test
    void aLineOperationWritesOnlyTheLineItNames() {
        TestApplication shop = TestApplication.create();
        shop.updateOk("lines", Map.of("cartItems", cart(20)));
        Map<Integer, String> before = rowVersions(shop, "lines");
        shop.call("addCartItems", vars("integrationId", "lines", "items", List.of(vars("sku", "NEW", "quantity", 1, "price", "3"))));
        shop.call("updateCartItems", vars("integrationId", "lines", "items", List.of(vars("lineId", "6", "quantity", 9))));
        Map<Integer, String> after = rowVersions(shop, "lines");
        assertEquals(21, after.size());
        for (int position = 0; position < 20; position++) {
            if (position != 5) {
                assertEquals(before.get(position), after.get(position), "the line at " + position + " is not written");
            }
        }
        assertNotEquals(before.get(5), after.get(5), "the changed line is written");
        assertEquals(3, shop.stored("lines").get("version"));
    }

    @Test
    void aChangedLineIsTheOnlyOneWrittenAndARemovedTailIsDeleted() {
        TestApplication shop = TestApplication.create();
        List<Map<String, Object>> cart = cart(10);
        shop.updateOk("changing", Map.of("cartItems", cart));
        Map<Integer, String> before = rowVersions(shop, "changing");
        List<Map<String, Object>> changed = new ArrayList<>(cart.subList(0, 8));
        changed.set(3, vars("sku", "SKU-3", "quantity", 5, "price", "1.5", "additionalCosts", List.of(Map.of("name", "wrap", "price", "0.25"))));

        Map<String, Object> stored = shop.updateOk("changing", Map.of("cartItems", changed));
        Map<Integer, String> after = rowVersions(shop, "changing");
        assertEquals(8, after.size(), "positions 8 and 9 are gone");
        for (int position = 0; position < 8; position++) {
            if (position != 3) {
                assertEquals(before.get(position), after.get(position), "the unchanged line at " + position + " is not written");
            }
        }
        // 7 × 1 × 1.5 + 5 × 1.5 = 18; costs 7 × 0.25 + 5 × 0.25 = 3
        assertEquals(0, new BigDecimal("21").compareTo(new BigDecimal(stored.get("total").toString())));
        assertEquals(stored.get("cartItems"), shop.stored("changing").get("cartItems"), "served as stored");
    }

    /**
     * A writer that waited for another writer's lock builds on the cart that writer stored (PostgreSQL hands a statement
     * that waited for a row lock the new row, but the rows it joined from before): [A, B] changed to [X, B] by the
     * first, then [A, Y] sent by the second is stored as [A, Y].
     */
    @Test
    void aWriterThatWaitedForTheLockBuildsOnTheCartTheOtherWriterStored() throws Exception {
        TestApplication shop = TestApplication.create();
        shop.updateOk("raced", Map.of("cartItems", List.of(vars("sku", "A", "quantity", 1, "price", "1"), vars("sku", "B", "quantity", 1, "price", "1"))));
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Connection other = dataSource.getConnection()) {
            other.setAutoCommit(false);
            long id;
            try (PreparedStatement lock = other.prepareStatement(
                    "select id from customer_session where application_id = ? and integration_id = 'raced' for update")) {
                lock.setLong(1, shop.id);
                try (ResultSet row = lock.executeQuery()) {
                    row.next();
                    id = row.getLong(1);
                }
            }
            try (PreparedStatement change = other.prepareStatement("update cart_item set sku = 'X' where session_id = ? and position = 0");
                    PreparedStatement version = other.prepareStatement("update customer_session set version = version + 1 where id = ?")) {
                change.setLong(1, id);
                change.executeUpdate();
                version.setLong(1, id);
                version.executeUpdate();
            }
            Future<Map<String, Object>> second = pool.submit(() -> shop.updateOk("raced",
                    Map.of("cartItems", List.of(vars("sku", "A", "quantity", 1, "price", "1"), vars("sku", "Y", "quantity", 1, "price", "1")))));
            Thread.sleep(300); // the second writer now waits for the lock
            other.commit();
            Map<String, Object> stored = second.get(10, TimeUnit.SECONDS);
            assertEquals(3, stored.get("version"));
        } finally {
            pool.shutdownNow();
        }
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> items = (List<Map<String, Object>>) shop.stored("raced").get("cartItems");
        assertEquals(List.of("A", "Y"), items.stream().map(item -> item.get("sku")).toList(), "stored as the second writer sent it");
    }

    private static List<Map<String, Object>> cart(int items) {
        List<Map<String, Object>> cart = new ArrayList<>();
        for (int i = 0; i < items; i++) {
            cart.add(vars("sku", "SKU-" + i, "quantity", 1, "price", "1.5", "additionalCosts", List.of(Map.of("name", "wrap", "price", "0.25"))));
        }
        return cart;
    }

    /** Each stored cart line's row version (xmin) by position. */
    private Map<Integer, String> rowVersions(TestApplication shop, String integrationId) {
        return cartColumn(shop, integrationId, "i.xmin::text");
    }

    /** A column of each stored cart line ({@code i}), as text, by position. */
    private Map<Integer, String> cartColumn(TestApplication shop, String integrationId, String column) {
        Map<Integer, String> versions = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("select i.position, " + column + " "
                + "from cart_item i join customer_session s on s.id = i.session_id where s.application_id = ? and s.integration_id = ? "
                + "order by i.position")) {
            s.setLong(1, shop.id);
            s.setString(2, integrationId);
            try (ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    versions.put(rows.getInt(1), rows.getString(2));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return versions;
    }
}
