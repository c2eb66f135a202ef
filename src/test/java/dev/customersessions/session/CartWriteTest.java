package dev.customersessions.session;

import static dev.customersessions.support.GraphQLClient.vars;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    private static List<Map<String, Object>> cart(int items) {
        List<Map<String, Object>> cart = new ArrayList<>();
        for (int i = 0; i < items; i++) {
            cart.add(vars("sku", "SKU-" + i, "quantity", 1, "price", "1.5", "additionalCosts", List.of(Map.of("name", "wrap", "price", "0.25"))));
        }
        return cart;
    }

    /** Each stored cart line's row version (xmin) by position. */
    private Map<Integer, String> rowVersions(TestApplication shop, String integrationId) {
        Map<Integer, String> versions = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("select i.position, i.xmin::text "
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
