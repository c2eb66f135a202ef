package dev.customersessions.session;

import static dev.customersessions.support.GraphQLClient.vars;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.customersessions.support.TestApplication;
import io.quarkus.test.junit.QuarkusTest;

/** Totals over carts of many decimal prices are exact to the last digit, as served and as read back. */
@QuarkusTest
class SessionTotalsTest {

    private TestApplication shop;

    @BeforeEach
    void createApplication() {
        shop = TestApplication.create();
    }

    @Test
    void totalsOfManyDecimalPricesAreExact() {
        Random random = new Random(42);
        List<Map<String, Object>> items = new ArrayList<>();
        BigDecimal itemTotal = BigDecimal.ZERO;
        BigDecimal itemCostTotal = BigDecimal.ZERO;
        for (int i = 0; i < 500; i++) {
            // Prices with up to 6 fraction digits, the kind doubles get wrong: 0.1, 0.29, 1.005, 12.345678, ...
            BigDecimal price = BigDecimal.valueOf(random.nextInt(10_000_000), random.nextInt(7));
            BigDecimal wrap = BigDecimal.valueOf(random.nextInt(1000), 2);
            int quantity = 1 + random.nextInt(9);
            items.add(vars("sku", "SKU-" + i, "quantity", quantity, "price", price.toPlainString(),
                    "additionalCosts", List.of(Map.of("name", "wrap", "price", wrap.toPlainString()))));
            itemTotal = itemTotal.add(price.multiply(BigDecimal.valueOf(quantity)));
            itemCostTotal = itemCostTotal.add(wrap.multiply(BigDecimal.valueOf(quantity)));
        }
        BigDecimal shipping = new BigDecimal("0.30");
        BigDecimal insurance = new BigDecimal("0.000001");
        String id = "session-" + UUID.randomUUID();
        Map<String, Object> served = shop.updateOk(id, Map.of("cartItems", items, "additionalCosts", List.of(
                Map.of("name", "shipping", "price", shipping.toPlainString()),
                Map.of("name", "insurance", "price", insurance.toPlainString()))));

        BigDecimal sessionCosts = shipping.add(insurance);
        for (Map<String, Object> session : List.of(served, shop.stored(id))) {
            assertExactly(itemTotal, session.get("cartItemTotal"));
            assertExactly(itemCostTotal, session.get("cartItemAdditionalCostTotal"));
            assertExactly(sessionCosts, session.get("additionalCostTotal"));
            assertExactly(itemTotal.add(itemCostTotal).add(sessionCosts), session.get("total"));
        }
    }

    @Test
    void classicFloatingPointTrapsComeOutRight() {
        Map<String, Object> session = shop.updateOk("session-" + UUID.randomUUID(), Map.of("cartItems", List.of(
                vars("sku", "A", "quantity", 1, "price", "0.1"),
                vars("sku", "B", "quantity", 1, "price", "0.2"),
                vars("sku", "C", "quantity", 3, "price", "1.005"),
                vars("sku", "D", "quantity", 7, "price", 0.07))));
        assertExactly(new BigDecimal("3.805"), session.get("cartItemTotal"));
        assertExactly(new BigDecimal("3.805"), session.get("total"));
    }

    @Test
    void anEmptyCartTotalsZero() {
        Map<String, Object> session = shop.updateOk("session-" + UUID.randomUUID(), Map.of());
        for (String total : List.of("cartItemTotal", "cartItemAdditionalCostTotal", "additionalCostTotal", "total")) {
            assertExactly(BigDecimal.ZERO, session.get(total));
        }
    }

    private static void assertExactly(BigDecimal expected, Object served) {
        BigDecimal actual = new BigDecimal(served.toString());
        assertEquals(0, expected.compareTo(actual), () -> "expected " + expected.toPlainString() + " but was " + served);
    }
}
