package dev.customersessions.session.graphql;

import static dev.customersessions.support.GraphQLClient.vars;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.customersessions.support.TestApplication;
import io.quarkus.test.junit.QuarkusTest;

/**
 * An update's input with every field there is is bound by {@link InputBinding} (not left to SmallRye's JSON round
 * trip), and stored and served exactly as sent.
 */
@QuarkusTest
class InputBindingTest {

    @Test
    void everyFieldOfAnUpdateIsBoundAndStoredAsSent() {
        TestApplication shop = TestApplication.create();
        Map<String, Object> item = vars("sku", "SKU-1", "name", "Shoe", "category", "shoes", "quantity", 2, "price", "59.95",
                "product", Map.of("name", "Runner"), "weight", "1.5", "height", "0.12", "width", "0.3", "length", "0.35",
                "attributes", List.of(Map.of("name", "color", "stringValue", "red"), Map.of("name", "size", "numberValue", "42.5")),
                "additionalCosts", List.of(Map.of("name", "handling", "price", "0.5")));
        Map<String, Object> input = vars("profileId", "p-1", "couponCodes", List.of("SAVE10", "FREESHIP"), "referralCode", "REF-1",
                "loyaltyCards", List.of("card-1"), "state", "open", "identifiers", List.of("device-1"),
                "attributes", List.of(Map.of("name", "city", "stringValue", "Berlin"), Map.of("name", "giftWrap", "booleanValue", true),
                        Map.of("name", "deliveryDate", "timeValue", "2026-12-24T10:00:00+01:00"),
                        Map.of("name", "tags", "stringListValue", List.of("a", "b")), Map.of("name", "scores", "numberListValue", List.of("1", "2.5"))),
                "additionalCosts", List.of(Map.of("name", "shipping", "price", "4.95")),
                "cartItems", List.of(item));
        long before = InputBinding.BOUND.get();

        Map<String, Object> stored = shop.updateOk("bound", input);

        assertTrue(InputBinding.BOUND.get() > before, "bound without SmallRye's JSON round trip");
        assertEquals(stored, shop.stored("bound"), "served as stored");
        assertEquals(List.of("SAVE10", "FREESHIP"), stored.get("couponCodes"));
        assertEquals("REF-1", stored.get("referralCode"));
        assertEquals(List.of("card-1"), stored.get("loyaltyCards"));
        assertEquals(List.of("device-1"), stored.get("identifiers"));
        assertEquals("p-1", stored.get("profileId"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> attributes = (List<Map<String, Object>>) stored.get("attributes");
        assertEquals(List.of("city", "deliveryDate", "giftWrap", "scores", "tags"), attributes.stream().map(a -> a.get("name")).toList());
        assertEquals("2026-12-24T09:00:00Z", attributes.get(1).get("timeValue"));
        assertEquals(List.of("1", "2.5"), attributes.get(3).get("numberListValue"));
        @SuppressWarnings("unchecked")
        Map<String, Object> line = ((List<Map<String, Object>>) stored.get("cartItems")).get(0);
        assertEquals("Runner", ((Map<?, ?>) line.get("product")).get("name"));
        assertEquals("59.95", line.get("price"));
        assertEquals("0.35", line.get("length"));
        assertEquals("125.85", stored.get("total").toString()); // 2 × 59.95 + 2 × 0.5 + 4.95
    }
}
