package dev.customersessions.session;

import static dev.customersessions.support.GraphQLClient.MANAGEMENT;
import static dev.customersessions.support.GraphQLClient.apiKey;
import static dev.customersessions.support.GraphQLClient.assertAmount;
import static dev.customersessions.support.GraphQLClient.post;
import static dev.customersessions.support.GraphQLClient.vars;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.customersessions.support.Concurrently;
import dev.customersessions.support.GraphQLClient;
import dev.customersessions.support.TestApplication;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Line operations (addCartItems, updateCartItems, removeCartItems): stable line ids, concurrent pages that add different
 * items, and every rule of a whole-cart update (limits, flattening, definitions, state, versions, dry runs).
 */
@QuarkusTest
class CartLinesTest {

    private static Map<String, Object> item(String sku, int quantity, String price) {
        return vars("sku", sku, "quantity", quantity, "price", price);
    }

    private static JsonPath op(TestApplication shop, String operation, Map<String, Object> variables) {
        return shop.call(operation, variables);
    }

    /** The operation's payload, asserted accepted. */
    private static Map<String, Object> ok(JsonPath response, String operation) {
        assertNull(response.get("errors"), response::prettify);
        assertEquals(List.of(), response.getList("data." + operation + ".userErrors"), response::prettify);
        return response.getMap("data." + operation + ".customerSession");
    }

    /** The code of the refusal's first user error, the refusal asserted whole (no top-level error, no session). */
    private static String code(JsonPath response, String operation) {
        assertNull(response.get("errors"), response::prettify);
        assertNull(response.get("data." + operation + ".customerSession"), response::prettify);
        return response.getString("data." + operation + ".userErrors[0].code");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> cart(Map<String, Object> session) {
        return (List<Map<String, Object>>) session.get("cartItems");
    }

    private static List<String> column(Map<String, Object> session, String field) {
        return cart(session).stream().map(line -> String.valueOf(line.get(field))).toList();
    }

    @Test
    void linesHaveStableIdsThroughAddsChangesAndRemovals() {
        TestApplication shop = TestApplication.create();
        Map<String, Object> created = shop.updateOk("lines", Map.of("cartItems", List.of(item("A", 1, "10"), item("B", 2, "2.50"))));
        assertEquals(List.of("1", "2"), column(created, "lineId"));
        assertEquals("1", cart(created).get(0).get("lineId"), "an ID travels as a JSON string");

        // One more A adds to the A line; a C is appended with the next id.
        Map<String, Object> added = ok(op(shop, "addCartItems", vars("integrationId", "lines",
                "items", List.of(item("A", 2, "10"), item("C", 1, "0.10")))), "addCartItems");
        assertEquals(List.of("A", "B", "C"), column(added, "sku"));
        assertEquals(List.of("1", "2", "3"), column(added, "lineId"));
        assertEquals(List.of("3", "2", "1"), column(added, "quantity"));
        assertAmount("35.1", added.get("cartItemTotal"));
        assertEquals(2, added.get("version"));

        // A line differing in more than quantity (here the price) is a line of its own.
        Map<String, Object> other = ok(op(shop, "addCartItems", vars("integrationId", "lines", "items", List.of(item("A", 1, "9.99")))),
                "addCartItems");
        assertEquals(List.of("1", "2", "3", "4"), column(other, "lineId"));

        // Changing B's quantity and price keeps its id and position; the other fields stay.
        Map<String, Object> changed = ok(op(shop, "updateCartItems", vars("integrationId", "lines",
                "items", List.of(vars("lineId", "2", "quantity", 5, "price", "2.40", "name", "Blue sock")))), "updateCartItems");
        Map<String, Object> b = cart(changed).get(1);
        assertEquals("2", String.valueOf(b.get("lineId")));
        assertEquals("B", b.get("sku"));
        assertEquals("Blue sock", b.get("name"));
        assertEquals(5, b.get("quantity"));
        assertAmount("2.4", b.get("price"));
        assertAmount("52.09", changed.get("cartItemTotal")); // 30 + 12 + 0.1 + 9.99

        // Removing A shifts the positions; the ids stay with their lines.
        Map<String, Object> removed = ok(op(shop, "removeCartItems", vars("integrationId", "lines", "lineIds", List.of("1"))),
                "removeCartItems");
        assertEquals(List.of("2", "3", "4"), column(removed, "lineId"));
        assertEquals(List.of("0", "1", "2"), column(removed, "position"));
        assertAmount("22.09", removed.get("cartItemTotal"));

        // quantity 0 removes a line; an id once given is never given again.
        Map<String, Object> zeroed = ok(op(shop, "updateCartItems", vars("integrationId", "lines",
                "items", List.of(vars("lineId", "4", "quantity", 0)))), "updateCartItems");
        assertEquals(List.of("2", "3"), column(zeroed, "lineId"));
        Map<String, Object> again = ok(op(shop, "addCartItems", vars("integrationId", "lines", "items", List.of(item("A", 1, "10")))),
                "addCartItems");
        assertEquals(List.of("2", "3", "5"), column(again, "lineId"));
        assertEquals(again, shop.stored("lines"), "the answer is the session as stored");
        assertEquals(7, again.get("version"));
    }

    @Test
    void aWholeCartUpdateKeepsTheIdsOfTheLinesItSendsAgain() {
        TestApplication shop = TestApplication.create();
        shop.updateOk("whole", Map.of("cartItems", List.of(item("A", 1, "1"), item("B", 1, "2"), item("B", 1, "3"))));
        // B's first line changes quantity, a D is new, A is gone, the second B stays a B.
        Map<String, Object> updated = shop.updateOk("whole", Map.of("cartItems",
                List.of(item("B", 4, "2"), item("D", 1, "5"), item("B", 1, "3"))));
        assertEquals(List.of("2", "4", "3"), column(updated, "lineId"));
        Map<String, Object> same = shop.updateOk("whole", Map.of("cartItems",
                List.of(item("B", 4, "2"), item("D", 1, "5"), item("B", 1, "3"))));
        assertEquals(updated.get("version"), same.get("version"), "the same cart sent again changes nothing");
    }

    @Test
    void twoPagesAddingDifferentItemsAtOnceBothSucceed() throws Exception {
        TestApplication shop = TestApplication.create();
        shop.updateOk("busy", Map.of("cartItems", List.of(item("START", 1, "1"))));
        int clients = 16;
        List<JsonPath> answers = Concurrently.call(clients, client -> op(shop, "addCartItems",
                vars("integrationId", "busy", "items", List.of(item("SKU-" + client, client + 1, "0.01")))));
        for (JsonPath answer : answers) {
            ok(answer, "addCartItems");
        }
        Map<String, Object> stored = shop.stored("busy");
        Set<String> skus = new HashSet<>(column(stored, "sku"));
        for (int client = 0; client < clients; client++) {
            assertTrue(skus.contains("SKU-" + client), "every page's item is in the cart: " + skus);
        }
        assertEquals(clients + 1, cart(stored).size());
        assertEquals(clients + 1, stored.get("version"), "one version per addition, none lost");
        assertEquals(clients + 1, new HashSet<>(column(stored, "lineId")).size(), "every line its own id");
        // 1 + 0.01 × (1 + 2 + … + 16)
        assertAmount("2.36", stored.get("cartItemTotal"));
    }

    @Test
    void aPageAddsWithItsSessionTokenAndNothingElse() {
        TestApplication shop = TestApplication.create();
        JsonPath key = post(MANAGEMENT, "createApiKey", vars("applicationId", String.valueOf(shop.id), "input", Map.of("kind", "PUBLISHABLE")));
        String page = apiKey(key.getString("data.createApiKey.apiKey.key"));
        JsonPath started = post(page, "startCustomerSession", vars("input", Map.of()));
        String id = started.getString("data.startCustomerSession.customerSession.integrationId");
        String token = started.getString("data.startCustomerSession.sessionToken");

        Map<String, Object> added = ok(post(page, "addCartItems", vars("integrationId", id, "sessionToken", token,
                "items", List.of(item("shoe", 1, "59.95")))), "addCartItems");
        assertEquals("PUBLISHABLE", added.get("cartSetBy"));
        assertEquals(List.of("1"), column(added, "lineId"));

        JsonPath withoutToken = post(page, "removeCartItems", vars("integrationId", id, "lineIds", List.of("1")));
        assertEquals("NOT_FOUND", code(withoutToken, "removeCartItems"));
        assertEquals(added, shop.stored(id), "nothing changed");

        // The shop's server changes one line: the other lines still hold the page's prices, so the cart stays the page's claim.
        Map<String, Object> serverChanged = ok(op(shop, "addCartItems", vars("integrationId", id, "items", List.of(item("sock", 1, "4.5")))),
                "addCartItems");
        assertEquals("PUBLISHABLE", serverChanged.get("cartSetBy"));
    }

    @Test
    void refusalsChangeNothing() {
        TestApplication shop = TestApplication.create();
        Map<String, Object> before = shop.updateOk("strict", Map.of("cartItems", List.of(item("A", 1, "1"), item("B", 1, "2"))));

        JsonPath unknownLine = op(shop, "updateCartItems", vars("integrationId", "strict",
                "items", List.of(vars("lineId", "1", "quantity", 3), vars("lineId", "99", "quantity", 1))));
        assertEquals("NOT_FOUND", code(unknownLine, "updateCartItems"));
        assertEquals(List.of("items", "1", "lineId"), unknownLine.getList("data.updateCartItems.userErrors[0].field"));

        JsonPath gone = op(shop, "removeCartItems", vars("integrationId", "strict", "lineIds", List.of("1", "3")));
        assertEquals("NOT_FOUND", code(gone, "removeCartItems"));
        assertEquals(List.of("lineIds", "1"), gone.getList("data.removeCartItems.userErrors[0].field"));
        JsonPath notAnId = op(shop, "removeCartItems", vars("integrationId", "strict", "lineIds", List.of("x")));
        assertEquals("BAD_REQUEST", notAnId.getString("errors[0].extensions.code"), "ids are numbers, as every id of the API");
        // The same in a literal, and a quantity beyond Int: refused before anything runs, naming where.
        JsonPath literalId = GraphQLClient.postDocument(shop.authorization(),
                "mutation { removeCartItems(integrationId: \"strict\", lineIds: [\"x\"]) { userErrors { code } } }", Map.of());
        assertEquals("BAD_REQUEST", literalId.getString("errors[0].extensions.code"), literalId::prettify);
        assertTrue(literalId.getString("errors[0].message").contains("'lineIds[0]' is not a valid 'ID' - ID must be a whole number"),
                literalId::prettify);
        assertNull(literalId.get("data"), literalId::prettify);
        JsonPath hugeQuantity = GraphQLClient.postDocument(shop.authorization(), "mutation { updateCartItems(integrationId: \"strict\", "
                + "items: [{ lineId: \"1\", quantity: 2147483648 }]) { userErrors { code } } }", Map.of());
        assertNull(hugeQuantity.get("data"), hugeQuantity::prettify);
        assertEquals("BAD_REQUEST", hugeQuantity.getString("errors[0].extensions.code"), hugeQuantity::prettify);
        assertTrue(hugeQuantity.getString("errors[0].message").contains("quantity"), hugeQuantity::prettify);
        assertEquals(before, shop.stored("strict"), "refused before anything ran");

        JsonPath twice = op(shop, "removeCartItems", vars("integrationId", "strict", "lineIds", List.of("1", "1")));
        assertEquals("VALIDATION_FAILED", code(twice, "removeCartItems"));

        JsonPath none = op(shop, "addCartItems", vars("integrationId", "strict", "items", List.of()));
        assertEquals("VALIDATION_FAILED", code(none, "addCartItems"));

        List<Map<String, Object>> tooMany = new ArrayList<>();
        for (int i = 0; i < 251; i++) {
            tooMany.add(item("S" + i, 1, "1"));
        }
        JsonPath overLimit = op(shop, "addCartItems", vars("integrationId", "strict", "items", tooMany));
        assertEquals("LIMIT_EXCEEDED", code(overLimit, "addCartItems"));

        JsonPath negative = op(shop, "updateCartItems", vars("integrationId", "strict",
                "items", List.of(vars("lineId", "1", "price", "-1"))));
        assertEquals("VALIDATION_FAILED", code(negative, "updateCartItems"));

        JsonPath undefined = op(shop, "addCartItems", vars("integrationId", "strict", "items",
                List.of(vars("sku", "C", "quantity", 1, "price", "1", "attributes", List.of(vars("name", "engraving", "stringValue", "Hi"))))));
        assertEquals("UNKNOWN_ATTRIBUTE", code(undefined, "addCartItems"));

        JsonPath conflict = op(shop, "addCartItems", vars("integrationId", "strict", "expectedVersion", 7, "items", List.of(item("C", 1, "1"))));
        assertEquals("VERSION_CONFLICT", code(conflict, "addCartItems"));

        JsonPath missing = op(shop, "addCartItems", vars("integrationId", "nobody", "items", List.of(item("C", 1, "1"))));
        assertEquals("NOT_FOUND", code(missing, "addCartItems"));
        assertNull(shop.stored("nobody"), "a line operation creates no session");

        Map<String, Object> dry = ok(op(shop, "addCartItems", vars("integrationId", "strict", "dry", true, "items", List.of(item("C", 1, "1")))),
                "addCartItems");
        assertEquals(List.of("1", "2", "3"), column(dry, "lineId"));
        assertEquals(before, shop.stored("strict"), "no refusal and no dry run changed the session");

        shop.updateOk("strict", Map.of("state", "closed"));
        JsonPath closed = op(shop, "addCartItems", vars("integrationId", "strict", "items", List.of(item("C", 1, "1"))));
        assertEquals("SESSION_NOT_OPEN", code(closed, "addCartItems"));
        JsonPath closedUnknownLine = op(shop, "removeCartItems", vars("integrationId", "strict", "lineIds", List.of("99")));
        assertEquals("SESSION_NOT_OPEN", code(closedUnknownLine, "removeCartItems"), "the state is checked first");
        assertEquals(before.get("cartItems"), shop.stored("strict").get("cartItems"));
    }

    @Test
    void theCartLimitCountsTheCartAfterTheOperation() {
        TestApplication shop = TestApplication.create();
        List<Map<String, Object>> full = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            full.add(item("S" + i, 1, "1"));
        }
        Map<String, Object> before = shop.updateOk("full", Map.of("cartItems", full));
        JsonPath over = op(shop, "addCartItems", vars("integrationId", "full", "items", List.of(item("ONE-MORE", 1, "1"))));
        assertEquals("LIMIT_EXCEEDED", code(over, "addCartItems"));
        assertEquals(before.get("version"), shop.stored("full").get("version"));
        // More units of a line already there are no new line.
        ok(op(shop, "addCartItems", vars("integrationId", "full", "items", List.of(item("S0", 2, "1")))), "addCartItems");
    }

    @Test
    void withFlatteningOnLinesAreUnitsEachWithItsOwnId() {
        TestApplication shop = TestApplication.create();
        JsonPath on = post(MANAGEMENT, "updateApplication", vars("id", String.valueOf(shop.id), "input", Map.of("cartItemFlattening", true)));
        assertEquals(List.of(), on.getList("data.updateApplication.userErrors"));
        shop.updateOk("flat", Map.of("cartItems", List.of(item("A", 2, "1.5"))));

        Map<String, Object> added = ok(op(shop, "addCartItems", vars("integrationId", "flat", "items", List.of(item("B", 3, "2")))),
                "addCartItems");
        assertEquals(List.of("A", "A", "B", "B", "B"), column(added, "sku"));
        assertEquals(List.of("1", "1", "1", "1", "1"), column(added, "quantity"));
        assertEquals(List.of("1", "2", "3", "4", "5"), column(added, "lineId"));

        // Two units of the first A: it keeps its id, the new unit gets the next.
        Map<String, Object> changed = ok(op(shop, "updateCartItems", vars("integrationId", "flat",
                "items", List.of(vars("lineId", "1", "quantity", 2)))), "updateCartItems");
        assertEquals(List.of("A", "A", "A", "B", "B", "B"), column(changed, "sku"));
        assertEquals(List.of("1", "6", "2", "3", "4", "5"), column(changed, "lineId"));
        assertAmount("10.5", changed.get("cartItemTotal"));

        // The units are counted before anything is flattened: a line of two billion units is refused, not built.
        JsonPath huge = op(shop, "updateCartItems", vars("integrationId", "flat", "items", List.of(vars("lineId", "2", "quantity", 2_000_000_000))));
        assertEquals("LIMIT_EXCEEDED", code(huge, "updateCartItems"));
        JsonPath hugeAdd = op(shop, "addCartItems", vars("integrationId", "flat", "items", List.of(item("C", Integer.MAX_VALUE, "1"))));
        assertEquals("LIMIT_EXCEEDED", code(hugeAdd, "addCartItems"));
        assertEquals(changed, shop.stored("flat"));
    }

    @Test
    void aMergeAtLoginKeepsTheCustomersLineIdsAndGivesTheGuestsLinesNewOnes() {
        TestApplication shop = TestApplication.create();
        shop.updateOk("customer-cart", Map.of("profileId", "ann", "cartItems", List.of(item("A", 1, "1"), item("B", 1, "2"))));
        ok(op(shop, "removeCartItems", vars("integrationId", "customer-cart", "lineIds", List.of("1"))), "removeCartItems");
        shop.updateOk("guest-cart", Map.of("cartItems", List.of(item("B", 2, "2"), item("C", 1, "3"))));
        JsonPath merged = shop.call("mergeCustomerSession", vars("integrationId", "guest-cart", "profileId", "ann", "strategy", "MERGE_LINES"));
        Map<String, Object> survivor = ok(merged, "mergeCustomerSession");
        assertEquals("customer-cart", survivor.get("integrationId"));
        assertEquals(List.of("B", "C"), column(survivor, "sku"));
        assertEquals(List.of("3", "1"), column(survivor, "quantity"));
        assertEquals(List.of("2", "3"), column(survivor, "lineId"), "B keeps its id; C is a new line, and id 1 is not given again");
        assertEquals(survivor.get("cartItems"), shop.stored("customer-cart").get("cartItems"), "served as stored");
    }
}
