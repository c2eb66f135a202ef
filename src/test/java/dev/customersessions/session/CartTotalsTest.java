package dev.customersessions.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The totals arithmetic: exact, normalized, per unit for item costs. */
class CartTotalsTest {

    private static CartLine item(String price, int quantity, AdditionalCostData... costs) {
        return new CartLine(1, 0, 1, "SKU", null, null, quantity, new BigDecimal(price), null, null, null, null, null, "{}", 0,
                List.of(costs));
    }

    @Test
    void sumsExactly() {
        CartTotals totals = CartTotals.of(
                List.of(item("0.1", 3, new AdditionalCostData("wrap", new BigDecimal("0.2"))), item("19.990000", 1)),
                List.of(new AdditionalCostData("shipping", new BigDecimal("4.99")), new AdditionalCostData("fee", new BigDecimal("0.000001"))));
        assertEquals(new BigDecimal("20.29"), totals.cartItemTotal());
        assertEquals(new BigDecimal("0.6"), totals.cartItemAdditionalCostTotal());
        assertEquals(new BigDecimal("4.990001"), totals.additionalCostTotal());
        assertEquals(new BigDecimal("25.880001"), totals.total());
    }

    @Test
    void roundNumbersAreNotInExponentForm() {
        CartTotals totals = CartTotals.of(List.of(item("100.000000", 2)), List.of());
        assertEquals("200", totals.total().toString());
        assertEquals("0", totals.additionalCostTotal().toString());
    }
}
