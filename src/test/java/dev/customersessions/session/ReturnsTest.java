package dev.customersessions.session;

import static dev.customersessions.support.GraphQLClient.assertAmount;
import static dev.customersessions.support.GraphQLClient.vars;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.customersessions.support.Concurrently;
import dev.customersessions.support.TestApplication;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** Returns of cart items (spec section 6): from closed sessions, never more than remains, refused whole, once under races. */
@QuarkusTest
class ReturnsTest {

    private static Map<String, Object> closedOrder(TestApplication shop, String id) {
        shop.updateOk(id, Map.of("state", "closed", "cartItems", List.of(
                vars("sku", "SHOE", "quantity", 2, "price", "59.95", "additionalCosts", List.of(Map.of("name", "handling", "price", "1"))),
                vars("sku", "SOCKS", "quantity", 3, "price", "9.99")),
                "additionalCosts", List.of(Map.of("name", "shipping", "price", "4.99"))));
        return shop.stored(id);
    }

    private static JsonPath returnItems(TestApplication shop, String id, List<Map<String, Object>> items) {
        return shop.call("returnCartItems", vars("integrationId", id, "items", items));
    }

    private static Map<String, Object> item(Map<String, Object> session, int position) {
        return ((List<Map<String, Object>>) session.get("cartItems")).get(position);
    }

    @Test
    void aReturnRaisesReturnedQuantitiesAndIsListed() {
        TestApplication shop = TestApplication.create();
        Map<String, Object> closed = closedOrder(shop, "order");
        assertAmount("0", closed.get("returnedCartItemTotal"));
        assertEquals(List.of(), closed.get("returns"));
        assertEquals(0, item(closed, 1).get("returnedQuantity"));
        assertEquals(3, item(closed, 1).get("remainingQuantity"));

        JsonPath response = returnItems(shop, "order", List.of(vars("position", 1, "quantity", 2)));
        assertEquals(List.of(), response.getList("data.returnCartItems.userErrors"), response::prettify);
        Map<String, Object> returned = response.getMap("data.returnCartItems.customerSession");
        assertEquals("partially_returned", returned.get("state"));
        assertEquals(2, returned.get("version"));
        assertEquals(2, item(returned, 1).get("returnedQuantity"));
        assertEquals(1, item(returned, 1).get("remainingQuantity"));
        assertEquals(0, item(returned, 0).get("returnedQuantity"));
        assertAmount("19.98", returned.get("returnedCartItemTotal"));
        for (String total : List.of("cartItemTotal", "cartItemAdditionalCostTotal", "additionalCostTotal", "total")) {
            assertEquals(closed.get(total), returned.get(total), "returns do not change " + total);
        }
        List<Map<String, Object>> returns = (List<Map<String, Object>>) returned.get("returns");
        assertEquals(1, returns.size());
        assertEquals(List.of(Map.of("position", 1, "quantity", 2)), returns.get(0).get("items"));
        assertEquals(returned, shop.stored("order"));

        // Left out, the quantity is all that remains; several positions at once; then a partially returned session returns again.
        Map<String, Object> second = returnItems(shop, "order", List.of(vars("position", 0), vars("position", 1)))
                .getMap("data.returnCartItems.customerSession");
        assertEquals(List.of(0, 0), List.of(item(second, 0).get("remainingQuantity"), item(second, 1).get("remainingQuantity")));
        assertAmount("149.87", second.get("returnedCartItemTotal"));
        List<Map<String, Object>> both = (List<Map<String, Object>>) second.get("returns");
        assertEquals(List.of(Map.of("position", 0, "quantity", 2), Map.of("position", 1, "quantity", 1)), both.get(1).get("items"));
        assertEquals(second, shop.stored("order"));

        // The listing serves the returns too.
        JsonPath listed = shop.call("allSessionsWithReturns", vars("first", 10));
        assertEquals(second, listed.getMap("data.customerSessions.nodes[0]"), listed::prettify);

        // A partially returned session can be cancelled; its returns stay.
        Map<String, Object> cancelled = shop.call("cancelCustomerSession", vars("integrationId", "order"))
                .getMap("data.cancelCustomerSession.customerSession");
        assertEquals("cancelled", cancelled.get("state"));
        assertEquals(both, cancelled.get("returns"));
    }

    @Test
    void aReturnIsRefusedWholeWhenAnyLineCannotBeReturned() {
        TestApplication shop = TestApplication.create();
        closedOrder(shop, "order");
        Map<String, Object> before = returnItems(shop, "order", List.of(vars("position", 0, "quantity", 1)))
                .getMap("data.returnCartItems.customerSession");

        JsonPath tooMany = returnItems(shop, "order", List.of(vars("position", 1, "quantity", 1), vars("position", 0, "quantity", 2)));
        assertEquals("RETURN_EXCEEDS_REMAINING", tooMany.getString("data.returnCartItems.userErrors[0].code"));
        assertEquals(List.of("items", "1", "quantity"), tooMany.getList("data.returnCartItems.userErrors[0].field"));
        assertEquals(before, shop.stored("order"), "the valid first line was not applied either");

        JsonPath missing = returnItems(shop, "order", List.of(vars("position", 2)));
        assertEquals("NOT_FOUND", missing.getString("data.returnCartItems.userErrors[0].code"));
        assertEquals(List.of("items", "0", "position"), missing.getList("data.returnCartItems.userErrors[0].field"));

        JsonPath twice = returnItems(shop, "order", List.of(vars("position", 1), vars("position", 1)));
        assertEquals("VALIDATION_FAILED", twice.getString("data.returnCartItems.userErrors[0].code"));
        assertEquals(List.of("items", "1", "position"), twice.getList("data.returnCartItems.userErrors[0].field"));

        JsonPath none = returnItems(shop, "order", List.of(vars("position", 1, "quantity", 0)));
        assertEquals("VALIDATION_FAILED", none.getString("data.returnCartItems.userErrors[0].code"));

        JsonPath conflict = shop.call("returnCartItems", vars("integrationId", "order", "items", List.of(vars("position", 1)), "expectedVersion", 1));
        assertEquals("VERSION_CONFLICT", conflict.getString("data.returnCartItems.userErrors[0].code"));

        JsonPath dry = shop.call("returnCartItems", vars("integrationId", "order", "items", List.of(vars("position", 1)), "dry", true));
        assertEquals(3, dry.getInt("data.returnCartItems.customerSession.cartItems[1].returnedQuantity"), "what the return would do");
        assertEquals(before, shop.stored("order"), "refusals and the dry run stored nothing");

        returnItems(shop, "order", List.of(vars("position", 0)));
        JsonPath nothingLeft = returnItems(shop, "order", List.of(vars("position", 0)));
        assertEquals("RETURN_EXCEEDS_REMAINING", nothingLeft.getString("data.returnCartItems.userErrors[0].code"));
        assertEquals(List.of("items", "0"), nothingLeft.getList("data.returnCartItems.userErrors[0].field"));
    }

    @Test
    void aReturnHasAtMost1000LinesAndASessionAtMost100Returns() {
        TestApplication shop = TestApplication.create();
        shop.updateOk("order", Map.of("state", "closed", "cartItems", List.of(vars("sku", "A", "quantity", 500, "price", "1"))));
        List<Map<String, Object>> lines = new java.util.ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            lines.add(vars("position", i));
        }
        JsonPath tooLong = returnItems(shop, "order", lines);
        assertEquals("LIMIT_EXCEEDED", tooLong.getString("data.returnCartItems.userErrors[0].code"));
        assertEquals(List.of("items"), tooLong.getList("data.returnCartItems.userErrors[0].field"));
        for (int i = 0; i < 100; i++) {
            assertEquals(List.of(), returnItems(shop, "order", List.of(vars("position", 0, "quantity", 1)))
                    .getList("data.returnCartItems.userErrors"));
        }
        Map<String, Object> before = shop.stored("order");
        JsonPath oneMore = returnItems(shop, "order", List.of(vars("position", 0, "quantity", 1)));
        assertEquals("LIMIT_EXCEEDED", oneMore.getString("data.returnCartItems.userErrors[0].code"));
        assertEquals(before, shop.stored("order"));
        assertEquals(100, ((List<?>) before.get("returns")).size());
    }

    @Test
    void onlyClosedAndPartiallyReturnedSessionsReturnItems() {
        TestApplication shop = TestApplication.create();
        shop.updateOk("open", Map.of("cartItems", List.of(vars("sku", "A", "quantity", 1, "price", "1"))));
        Map<String, Object> open = shop.stored("open");
        JsonPath fromOpen = returnItems(shop, "open", List.of(vars("position", 0)));
        assertEquals("INVALID_STATE_TRANSITION", fromOpen.getString("data.returnCartItems.userErrors[0].code"));
        assertEquals(open, shop.stored("open"));

        closedOrder(shop, "cancelled");
        shop.call("cancelCustomerSession", vars("integrationId", "cancelled"));
        JsonPath fromCancelled = returnItems(shop, "cancelled", List.of(vars("position", 0)));
        assertEquals("INVALID_STATE_TRANSITION", fromCancelled.getString("data.returnCartItems.userErrors[0].code"));

        JsonPath missing = returnItems(shop, "nobody", List.of(vars("position", 0)));
        assertEquals("NOT_FOUND", missing.getString("data.returnCartItems.userErrors[0].code"));
        assertEquals(List.of("integrationId"), missing.getList("data.returnCartItems.userErrors[0].field"));

        // An update cannot move a session to partially_returned, nor change a closed session's cart.
        closedOrder(shop, "closed");
        JsonPath byUpdate = shop.update("closed", Map.of("state", "partially_returned"));
        assertEquals("INVALID_STATE_TRANSITION", byUpdate.getString("data.updateCustomerSession.userErrors[0].code"));

        // Another application cannot return this application's items.
        JsonPath foreign = returnItems(TestApplication.create(), "closed", List.of(vars("position", 0)));
        assertEquals("NOT_FOUND", foreign.getString("data.returnCartItems.userErrors[0].code"));
        assertEquals("closed", shop.stored("closed").get("state"));
    }

    @Test
    void ofConcurrentReturnsOfTheLastUnitExactlyOneSucceeds() throws Exception {
        TestApplication shop = TestApplication.create();
        shop.updateOk("order", Map.of("state", "closed", "cartItems", List.of(vars("sku", "A", "quantity", 1, "price", "5"))));
        int succeeded = 0;
        for (JsonPath answer : Concurrently.call(8, client -> returnItems(shop, "order", List.of(vars("position", 0, "quantity", 1))))) {
            List<Map<String, Object>> errors = answer.getList("data.returnCartItems.userErrors");
            if (errors.isEmpty()) {
                succeeded++;
            } else {
                assertEquals("RETURN_EXCEEDS_REMAINING", errors.get(0).get("code"));
            }
        }
        assertEquals(1, succeeded);
        Map<String, Object> stored = shop.stored("order");
        assertEquals(1, item(stored, 0).get("returnedQuantity"));
        assertEquals(1, ((List<?>) stored.get("returns")).size());
        assertEquals(2, stored.get("version"));
    }
}
