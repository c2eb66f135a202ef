package dev.customersessions.session;

import static dev.customersessions.support.GraphQLClient.MANAGEMENT;
import static dev.customersessions.support.GraphQLClient.assertAmount;
import static dev.customersessions.support.GraphQLClient.post;
import static dev.customersessions.support.GraphQLClient.vars;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.customersessions.support.TestApplication;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** Cart item flattening (spec section 4) and the cart limits per request: 1000 items, and 10,000 units when flattened. */
@QuarkusTest
class FlatteningTest {

    private static void setFlattening(TestApplication app, boolean on) {
        JsonPath response = post(MANAGEMENT, "updateApplication", vars("id", String.valueOf(app.id), "input", Map.of("cartItemFlattening", on)));
        assertEquals(List.of(), response.getList("data.updateApplication.userErrors"));
        assertEquals(on, response.getBoolean("data.updateApplication.application.cartItemFlattening"));
    }

    private static List<Map<String, Object>> cart() {
        return List.of(
                vars("sku", "SHOE", "quantity", 3, "price", "59.95", "attributes", List.of(Map.of("name", "size", "numberValue", "42")),
                        "additionalCosts", List.of(Map.of("name", "handling", "price", "0.5"))),
                vars("sku", "SOCKS", "quantity", 1, "price", "9.99"));
    }

    @Test
    void aFlatteningApplicationStoresOneItemPerUnitWithTheSameTotals() {
        TestApplication plain = TestApplication.create();
        TestApplication flat = TestApplication.create();
        setFlattening(flat, true);
        assertEquals(true, flat.call("application", Map.of()).getBoolean("data.application.cartItemFlattening"));

        Map<String, Object> unflattened = plain.updateOk("order", Map.of("cartItems", cart()));
        Map<String, Object> flattened = flat.updateOk("order", Map.of("cartItems", cart()));
        List<Map<String, Object>> items = (List<Map<String, Object>>) flattened.get("cartItems");
        assertEquals(List.of("0:SHOE:1", "1:SHOE:1", "2:SHOE:1", "3:SOCKS:1"),
                items.stream().map(i -> i.get("position") + ":" + i.get("sku") + ":" + i.get("quantity")).toList());
        items.subList(0, 3).forEach(item -> {
            assertEquals(List.of(Map.of("name", "handling", "price", "0.5")), item.get("additionalCosts"));
            assertEquals("42", ((List<Map<String, Object>>) item.get("attributes")).get(0).get("numberValue"));
        });
        for (String total : List.of("cartItemTotal", "cartItemAdditionalCostTotal", "additionalCostTotal", "total")) {
            assertEquals(unflattened.get(total), flattened.get(total), total);
        }
        assertAmount("189.84", flattened.get("cartItemTotal"));
        assertEquals(flattened, flat.stored("order"));

        // Sending the same cart again, as sent or as stored, changes nothing.
        Map<String, Object> again = flat.updateOk("order", Map.of("cartItems", cart()));
        assertEquals(1, again.get("version"));
        assertEquals(flattened.get("updated"), again.get("updated"));

        // Switching flattening off applies from then on; what is stored stays.
        setFlattening(flat, false);
        Map<String, Object> later = flat.updateOk("later", Map.of("cartItems", cart()));
        assertEquals(2, ((List<?>) later.get("cartItems")).size());
        assertEquals(4, ((List<?>) flat.stored("order").get("cartItems")).size());
    }

    @Test
    void aFlattenedCartHoldsAtMostTenThousandUnits() {
        TestApplication flat = TestApplication.create();
        setFlattening(flat, true);
        Map<String, Object> before = flat.updateOk("big", Map.of("cartItems", List.of(vars("sku", "A", "quantity", 2, "price", "1"))));

        JsonPath tooMany = flat.update("big", Map.of("cartItems", List.of(vars("sku", "A", "quantity", 9_999, "price", "1"),
                vars("sku", "B", "quantity", 2, "price", "1"))));
        assertEquals("LIMIT_EXCEEDED", tooMany.getString("data.updateCustomerSession.userErrors[0].code"));
        assertEquals(List.of("input", "cartItems"), tooMany.getList("data.updateCustomerSession.userErrors[0].field"));
        assertEquals(before, flat.stored("big"), "nothing stored");

        List<Map<String, Object>> tenThousand = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            tenThousand.add(vars("sku", "SKU-" + i, "quantity", 10, "price", "0.01"));
        }
        Map<String, Object> stored = flat.updateOk("big", Map.of("cartItems", tenThousand));
        assertEquals(10_000, ((List<?>) stored.get("cartItems")).size());
        assertAmount("100", stored.get("cartItemTotal"));
        Map<String, Object> read = flat.stored("big");
        assertEquals(10_000, ((List<?>) read.get("cartItems")).size());
        assertEquals(9_999, ((Map<?, ?>) ((List<?>) read.get("cartItems")).get(9_999)).get("position"));
    }

    @Test
    void aCartStoredBeforeFlatteningWasSwitchedIsTheSameCartWhenSentAgain() {
        TestApplication shop = TestApplication.create();
        Map<String, Object> stored = shop.updateOk("order", Map.of("cartItems", cart()));
        setFlattening(shop, true);
        Map<String, Object> again = shop.updateOk("order", Map.of("cartItems", cart()));
        assertEquals(1, again.get("version"), "not rewritten in the other form");
        assertEquals(stored, shop.stored("order"));
        shop.call("closeCustomerSession", vars("integrationId", "order"));
        assertEquals(List.of(), shop.update("order", Map.of("cartItems", cart())).getList("data.updateCustomerSession.userErrors"),
                "a retry of the same cart is harmless on a closed session too");

        // And the other way round: stored flattened, flattening switched off, sent again as before.
        Map<String, Object> flat = shop.updateOk("flat", Map.of("cartItems", cart()));
        setFlattening(shop, false);
        assertEquals(flat, shop.updateOk("flat", Map.of("cartItems", cart())));
    }

    @Test
    void theCartLinesOneRequestReadsAreBounded() {
        TestApplication flat = TestApplication.create();
        setFlattening(flat, true);
        List<Map<String, Object>> tenThousand = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            tenThousand.add(vars("sku", "SKU-" + i, "quantity", 10, "price", "0.01"));
        }
        for (int i = 0; i < 6; i++) {
            flat.call("updateCustomerSessionBrief", vars("integrationId", "big-" + i, "input", Map.of("cartItems", tenThousand)));
        }
        // Totals only: 100 values served, but 60,000 cart lines read; the limit is 50,000.
        String totals = "query { customerSessions(first: 6) { nodes { total } } }";
        JsonPath refused = dev.customersessions.support.GraphQLClient.postDocument(flat.authorization(), totals, Map.of());
        assertEquals("LIMIT_EXCEEDED", refused.getString("errors[0].extensions.code"), refused::prettify);
        assertNull(refused.get("data"));
        JsonPath five = dev.customersessions.support.GraphQLClient.postDocument(flat.authorization(),
                "query { customerSessions(first: 5) { nodes { total } } }", Map.of());
        assertEquals(List.of("100", "100", "100", "100", "100"), five.getList("data.customerSessions.nodes.total"), five::prettify);

        // The same budget holds for sessions read one by one in a request (aliases)...
        String sixTotals = java.util.stream.IntStream.range(0, 6).mapToObj(i -> "s" + i + ": customerSession(integrationId: \"big-" + i
                + "\") { total }").collect(java.util.stream.Collectors.joining(" ", "query { ", " }"));
        JsonPath sixRefused = dev.customersessions.support.GraphQLClient.postDocument(flat.authorization(), sixTotals, Map.of());
        assertEquals("LIMIT_EXCEEDED", sixRefused.getString("errors[0].extensions.code"), sixRefused::prettify);
        // ... while what needs no cart is served all the same.
        JsonPath sixStates = dev.customersessions.support.GraphQLClient.postDocument(flat.authorization(),
                sixTotals.replace("{ total }", "{ state }"), Map.of());
        assertNull(sixStates.get("errors"), sixStates::prettify);
        assertEquals("open", sixStates.getString("data.s5.state"));
    }

    @Test
    void withoutFlatteningQuantitiesAreNotLimitedButItemsAre() {
        TestApplication plain = TestApplication.create();
        Map<String, Object> big = plain.updateOk("big", Map.of("cartItems", List.of(vars("sku", "A", "quantity", 250_000, "price", "0.1"))));
        assertAmount("25000", big.get("cartItemTotal"));

        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            items.add(vars("sku", "SKU-" + i, "quantity", 1, "price", "1"));
        }
        JsonPath refused = plain.update("many", Map.of("cartItems", items));
        assertEquals("LIMIT_EXCEEDED", refused.getString("data.updateCustomerSession.userErrors[0].code"));
        assertEquals(List.of("input", "cartItems"), refused.getList("data.updateCustomerSession.userErrors[0].field"));
        assertNull(plain.stored("many"));
        Map<String, Object> atTheLimit = plain.updateOk("many", Map.of("cartItems", items.subList(0, 1000)));
        assertEquals(1000, ((List<?>) atTheLimit.get("cartItems")).size());
    }
}
