package dev.customersessions.session;

import static dev.customersessions.support.GraphQLClient.assertAmount;
import static dev.customersessions.support.GraphQLClient.vars;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.customersessions.support.GraphQLClient;
import dev.customersessions.support.TestApplication;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** Creating, reading, merging, closing and cancelling sessions over GraphQL (spec sections 3 and 5). */
@QuarkusTest
class CustomerSessionLifecycleTest {

    private TestApplication shop;

    @BeforeEach
    void createApplication() {
        shop = TestApplication.create();
    }

    private static String newId() {
        return "session-" + UUID.randomUUID();
    }

    private static Map<String, Object> fullInput() {
        Map<String, Object> input = new HashMap<>();
        input.put("profileId", "customer-1-" + UUID.randomUUID());
        input.put("couponCodes", List.of("SUMMER", "WELCOME"));
        input.put("referralCode", "FRIEND-42");
        input.put("loyaltyCards", List.of("card-7"));
        input.put("identifiers", List.of("device-a", "device-b"));
        input.put("attributes", List.of(
                Map.of("name", "city", "stringValue", "Berlin"),
                Map.of("name", "giftWrap", "booleanValue", true),
                Map.of("name", "deliveryDate", "timeValue", "2026-12-24T10:00:00+01:00"),
                Map.of("name", "scores", "numberListValue", List.of("1.25", "3")),
                Map.of("name", "tags", "stringListValue", List.of("a", "b")),
                Map.of("name", "weightFactor", "numberValue", "0.75")));
        input.put("additionalCosts", List.of(Map.of("name", "shipping", "price", "4.99")));
        input.put("cartItems", List.of(
                vars("sku", "SKU-1", "name", "Shoe", "category", "shoes", "quantity", 2, "price", "49.95",
                        "product", Map.of("name", "Runner"), "weight", "820.5", "height", "120", "width", "100",
                        "length", "300", "attributes", List.of(Map.of("name", "size", "numberValue", "42")),
                        "additionalCosts", List.of(Map.of("name", "handling", "price", "1.10"))),
                Map.of("sku", "SKU-2", "quantity", 1, "price", "0.10")));
        return input;
    }

    @Test
    void createsSessionWithEveryFieldAndServesItBack() {
        String id = newId();
        Map<String, Object> input = fullInput();
        JsonPath json = shop.update(id, input).setRootPath("data.updateCustomerSession.customerSession");
        Map<String, Object> created = json.getMap("");

        assertEquals(id, created.get("integrationId"));
        assertEquals(shop.id, GraphQLClient.id(created.get("applicationId")));
        assertEquals(input.get("profileId"), created.get("profileId"));
        assertEquals(List.of("SUMMER", "WELCOME"), created.get("couponCodes"));
        assertEquals("FRIEND-42", created.get("referralCode"));
        assertEquals(List.of("card-7"), created.get("loyaltyCards"));
        assertEquals(List.of("device-a", "device-b"), created.get("identifiers"));
        assertEquals("open", created.get("state"));
        assertEquals(1, created.get("version"));
        assertEquals(true, created.get("firstSession"));
        assertEquals(created.get("created"), created.get("updated"));

        assertEquals(List.of("city", "deliveryDate", "giftWrap", "scores", "tags", "weightFactor"), json.getList("attributes.name"));
        assertEquals("Berlin", json.getString("attributes.find { it.name == 'city' }.stringValue"));
        assertEquals("STRING", json.getString("attributes.find { it.name == 'city' }.type"));
        assertEquals(true, json.getBoolean("attributes.find { it.name == 'giftWrap' }.booleanValue"));
        assertEquals("2026-12-24T09:00:00Z", json.getString("attributes.find { it.name == 'deliveryDate' }.timeValue"));
        assertEquals(List.of("a", "b"), json.getList("attributes.find { it.name == 'tags' }.stringListValue"));

        List<Map<String, Object>> items = cartItems(created);
        assertEquals(2, items.size());
        Map<String, Object> shoe = items.get(0);
        assertEquals(0, shoe.get("position"));
        assertEquals("SKU-1", shoe.get("sku"));
        assertEquals("Shoe", shoe.get("name"));
        assertEquals("shoes", shoe.get("category"));
        assertEquals(2, shoe.get("quantity"));
        assertAmount("49.95", shoe.get("price"));
        assertEquals(Map.of("name", "Runner"), shoe.get("product"));
        assertAmount("820.5", shoe.get("weight"));
        assertAmount("120", shoe.get("height"));
        assertAmount("100", shoe.get("width"));
        assertAmount("300", shoe.get("length"));
        assertEquals(1, items.get(1).get("position"));
        assertNull(items.get(1).get("product"));

        // 2 × 49.95 + 0.10 = 100.00; 2 × 1.10 = 2.20; 4.99; total 107.19
        assertAmount("100.00", created.get("cartItemTotal"));
        assertAmount("2.20", created.get("cartItemAdditionalCostTotal"));
        assertAmount("4.99", created.get("additionalCostTotal"));
        assertAmount("107.19", created.get("total"));

        assertEquals(created, shop.stored(id), "what is read back is what the mutation returned");
    }

    @Test
    void leftOutFieldsKeepTheirValuesAndSentFieldsReplaceThem() {
        String id = newId();
        Map<String, Object> before = shop.updateOk(id, fullInput());
        Map<String, Object> changes = new LinkedHashMap<>();
        changes.put("profileId", "someone-else");
        changes.put("couponCodes", List.of("NEW"));
        changes.put("referralCode", "OTHER");
        changes.put("loyaltyCards", List.of("card-8"));
        changes.put("identifiers", List.of("device-c"));
        changes.put("attributes", List.of(Map.of("name", "city", "stringValue", "Paris")));
        changes.put("additionalCosts", List.of(Map.of("name", "express", "price", "9")));
        changes.put("cartItems", List.of(Map.of("sku", "SKU-9", "quantity", 1, "price", "5")));
        List<String> content = List.of("id", "integrationId", "created", "firstSession", "state", "profileId", "couponCodes",
                "referralCode", "loyaltyCards", "identifiers", "attributes", "additionalCosts", "cartItems");
        int version = 1;
        for (Map.Entry<String, Object> change : changes.entrySet()) {
            Map<String, Object> after = shop.updateOk(id, Map.of(change.getKey(), change.getValue()));
            version++;
            assertEquals(version, after.get("version"), change.getKey() + " changed, so the version moves by one");
            assertNotEquals(before.get(change.getKey()), after.get(change.getKey()), change.getKey() + " was replaced");
            for (String other : content) {
                if (!other.equals(change.getKey())) {
                    assertEquals(before.get(other), after.get(other), other + " was left out and keeps its value");
                }
            }
            before = after;
        }
        Map<String, Object> stored = shop.stored(id);
        assertEquals("someone-else", stored.get("profileId"));
        assertEquals(List.of("NEW"), stored.get("couponCodes"));
        assertEquals("OTHER", stored.get("referralCode"));
        assertEquals(List.of("card-8"), stored.get("loyaltyCards"));
        assertEquals(List.of("device-c"), stored.get("identifiers"));
        assertEquals(1, cartItems(stored).size());
        assertAmount("14", stored.get("total"));
        assertEquals(true, stored.get("firstSession"), "firstSession is fixed at creation");
    }

    @Test
    void emptyValuesClearFields() {
        String id = newId();
        shop.updateOk(id, fullInput());
        Map<String, Object> cleared = shop.updateOk(id, Map.of("profileId", "", "referralCode", "", "couponCodes", List.of(),
                "loyaltyCards", List.of(), "identifiers", List.of(), "attributes", List.of(), "additionalCosts", List.of(),
                "cartItems", List.of()));
        assertNull(cleared.get("profileId"));
        assertNull(cleared.get("referralCode"));
        for (String list : List.of("couponCodes", "loyaltyCards", "identifiers", "attributes", "additionalCosts", "cartItems")) {
            assertEquals(List.of(), cleared.get(list), list);
        }
        assertAmount("0", cleared.get("total"));
        assertEquals(cleared, shop.stored(id));
    }

    @Test
    void sendingWhatIsStoredChangesNothing() {
        String id = newId();
        Map<String, Object> input = fullInput();
        Map<String, Object> first = shop.updateOk(id, input);
        Map<String, Object> again = shop.updateOk(id, input);
        assertEquals(first, again);
        assertEquals(1, again.get("version"));

        // The same amounts written differently are the same content.
        Map<String, Object> samePrices = new HashMap<>(input);
        samePrices.put("additionalCosts", List.of(Map.of("name", "shipping", "price", 4.990)));
        samePrices.put("couponCodes", List.of("SUMMER", "WELCOME", "SUMMER"));
        Map<String, Object> third = shop.updateOk(id, samePrices);
        assertEquals(1, third.get("version"));
        assertEquals(first.get("updated"), third.get("updated"));
        assertEquals(first, shop.stored(id));
    }

    @Test
    void couponCodesLoseDuplicatesAndKeepOrder() {
        Map<String, Object> session = shop.updateOk(newId(), Map.of("couponCodes", List.of("B", "A", "B", "C", "A")));
        assertEquals(List.of("B", "A", "C"), session.get("couponCodes"));
    }

    @Test
    void dryRunComputesTheResultAndStoresNothing() {
        String id = newId();
        JsonPath dryCreate = shop.call("updateCustomerSession", vars("integrationId", id, "input", fullInput(), "dry", true));
        assertEquals(List.of(), dryCreate.getList("data.updateCustomerSession.userErrors"));
        assertAmount("107.19", dryCreate.get("data.updateCustomerSession.customerSession.total"));
        assertEquals(2, dryCreate.getList("data.updateCustomerSession.customerSession.cartItems").size());
        assertNull(shop.stored(id), "a dry run stores nothing");

        Map<String, Object> stored = shop.updateOk(id, fullInput());
        JsonPath dryUpdate = shop.call("updateCustomerSession", vars("integrationId", id, "dry", true,
                "input", Map.of("cartItems", List.of(Map.of("sku", "X", "quantity", 3, "price", "1.5")), "state", "closed")));
        assertEquals("closed", dryUpdate.getString("data.updateCustomerSession.customerSession.state"));
        assertAmount("9.49", dryUpdate.get("data.updateCustomerSession.customerSession.total"));
        assertEquals(2, dryUpdate.getInt("data.updateCustomerSession.customerSession.version"));
        assertEquals(stored, shop.stored(id), "a dry run changes nothing stored");

        JsonPath dryClose = shop.call("closeCustomerSession", vars("integrationId", id, "dry", true));
        assertEquals("closed", dryClose.getString("data.closeCustomerSession.customerSession.state"));
        assertEquals(stored, shop.stored(id));

        JsonPath nullDry = shop.call("updateCustomerSession", vars("integrationId", id, "dry", null, "expectedVersion", null,
                "input", Map.of("couponCodes", List.of("NOT-DRY"))));
        assertEquals(List.of("NOT-DRY"), nullDry.getList("data.updateCustomerSession.customerSession.couponCodes"),
                "dry: null is no dry run");
        assertEquals(List.of("NOT-DRY"), shop.stored(id).get("couponCodes"));

        JsonPath refusedDry = shop.call("updateCustomerSession", vars("integrationId", id, "dry", true,
                "input", Map.of("state", "partially_returned")));
        assertEquals("INVALID_STATE_TRANSITION", refusedDry.getString("data.updateCustomerSession.userErrors[0].code"));
    }

    @ParameterizedTest(name = "{0} -> {1}: {2}")
    @CsvSource({
            "open, open, ok",
            "open, closed, ok",
            "open, cancelled, ok",
            "open, partially_returned, INVALID_STATE_TRANSITION",
            "closed, open, INVALID_STATE_TRANSITION",
            "closed, closed, ok",
            "closed, cancelled, ok",
            "closed, partially_returned, INVALID_STATE_TRANSITION",
            "cancelled, open, INVALID_STATE_TRANSITION",
            "cancelled, closed, INVALID_STATE_TRANSITION",
            "cancelled, partially_returned, INVALID_STATE_TRANSITION",
            "cancelled, cancelled, ok"})
    void stateChangesByUpdateFollowTheTransitionTable(String from, String to, String outcome) {
        String id = newId();
        Map<String, Object> before = sessionIn(id, from);
        JsonPath response = shop.update(id, Map.of("state", to));
        Map<String, Object> after = shop.stored(id);
        if (outcome.equals("ok")) {
            assertEquals(List.of(), response.getList("data.updateCustomerSession.userErrors"));
            assertEquals(to, after.get("state"));
            int expectedVersion = (int) before.get("version") + (from.equals(to) ? 0 : 1);
            assertEquals(expectedVersion, after.get("version"));
        } else {
            assertEquals(outcome, response.getString("data.updateCustomerSession.userErrors[0].code"));
            assertEquals(List.of("input", "state"), response.getList("data.updateCustomerSession.userErrors[0].field"));
            assertNull(response.get("data.updateCustomerSession.customerSession"));
            assertEquals(before, after, "a refusal leaves the stored session as it was");
        }
    }

    @ParameterizedTest(name = "{1} a {0} session: {2}")
    @CsvSource({
            "open, closeCustomerSession, closed",
            "closed, closeCustomerSession, closed",
            "cancelled, closeCustomerSession, INVALID_STATE_TRANSITION",
            "open, cancelCustomerSession, cancelled",
            "closed, cancelCustomerSession, cancelled",
            "cancelled, cancelCustomerSession, cancelled"})
    void closeAndCancelFollowTheTransitionTable(String from, String operation, String outcome) {
        String id = newId();
        Map<String, Object> before = sessionIn(id, from);
        JsonPath response = shop.call(operation, vars("integrationId", id));
        Map<String, Object> after = shop.stored(id);
        if (outcome.equals("INVALID_STATE_TRANSITION")) {
            assertEquals(outcome, response.getString("data." + operation + ".userErrors[0].code"));
            assertEquals(before, after);
        } else {
            assertEquals(outcome, response.getString("data." + operation + ".customerSession.state"));
            assertEquals(outcome, after.get("state"));
            assertEquals((int) before.get("version") + (from.equals(outcome) ? 0 : 1), after.get("version"));
        }
    }

    @ParameterizedTest
    @CsvSource({"cancelled", "partially_returned"})
    void aSessionCanOnlyBeCreatedOpenOrClosed(String state) {
        String id = newId();
        JsonPath response = shop.update(id, Map.of("state", state));
        assertEquals("INVALID_STATE_TRANSITION", response.getString("data.updateCustomerSession.userErrors[0].code"));
        assertNull(shop.stored(id), "nothing is created");
        assertEquals("closed", shop.updateOk(newId(), Map.of("state", "closed")).get("state"));
    }

    @Test
    void onlyAnOpenSessionsContentChanges() {
        String id = newId();
        shop.updateOk(id, fullInput());
        Map<String, Object> closed = shop.updateOk(id, Map.of("state", "closed"));

        JsonPath refused = shop.update(id, Map.of("couponCodes", List.of("LATE")));
        assertEquals("SESSION_NOT_OPEN", refused.getString("data.updateCustomerSession.userErrors[0].code"));
        JsonPath refusedWithCancel = shop.update(id, Map.of("couponCodes", List.of("LATE"), "state", "cancelled"));
        assertEquals("SESSION_NOT_OPEN", refusedWithCancel.getString("data.updateCustomerSession.userErrors[0].code"));
        assertEquals(closed, shop.stored(id), "refusals change nothing");

        // Resending the stored content with a legal state change is fine.
        Map<String, Object> input = fullInput();
        input.put("profileId", closed.get("profileId"));
        input.put("state", "cancelled");
        Map<String, Object> cancelled = shop.updateOk(id, input);
        assertEquals("cancelled", cancelled.get("state"));
        assertEquals(3, cancelled.get("version"));
    }

    @Test
    void contentAndStateChangeTogetherWhileOpen() {
        String id = newId();
        shop.updateOk(id, fullInput());
        Map<String, Object> closed = shop.updateOk(id, Map.of("couponCodes", List.of("FINAL"), "state", "closed"));
        assertEquals("closed", closed.get("state"));
        assertEquals(List.of("FINAL"), closed.get("couponCodes"));
        assertEquals(2, closed.get("version"), "one stored change, one version");
    }

    @Test
    void expectedVersionGuardsEveryMutation() {
        String id = newId();
        JsonPath notYet = shop.call("updateCustomerSession", vars("integrationId", id, "input", Map.of(), "expectedVersion", 3));
        assertEquals("VERSION_CONFLICT", notYet.getString("data.updateCustomerSession.userErrors[0].code"));
        assertNull(shop.stored(id));

        JsonPath created = shop.call("updateCustomerSession", vars("integrationId", id, "input", Map.of("couponCodes", List.of("A")), "expectedVersion", 0));
        assertEquals(1, created.getInt("data.updateCustomerSession.customerSession.version"));
        shop.updateOk(id, Map.of("couponCodes", List.of("B")));
        Map<String, Object> stored = shop.stored(id);

        JsonPath stale = shop.call("updateCustomerSession", vars("integrationId", id, "input", Map.of("couponCodes", List.of("C")), "expectedVersion", 1));
        assertEquals("VERSION_CONFLICT", stale.getString("data.updateCustomerSession.userErrors[0].code"));
        assertEquals(List.of("expectedVersion"), stale.getList("data.updateCustomerSession.userErrors[0].field"));
        assertTrue(stale.getString("data.updateCustomerSession.userErrors[0].message").contains("current version is 2"),
                "the conflict tells the current version");
        JsonPath staleClose = shop.call("closeCustomerSession", vars("integrationId", id, "expectedVersion", 1));
        assertEquals("VERSION_CONFLICT", staleClose.getString("data.closeCustomerSession.userErrors[0].code"));
        JsonPath createOnly = shop.call("updateCustomerSession", vars("integrationId", id, "input", Map.of(), "expectedVersion", 0));
        assertEquals("VERSION_CONFLICT", createOnly.getString("data.updateCustomerSession.userErrors[0].code"));
        assertEquals(stored, shop.stored(id));

        JsonPath current = shop.call("updateCustomerSession", vars("integrationId", id, "input", Map.of("couponCodes", List.of("C")), "expectedVersion", 2));
        assertEquals(3, current.getInt("data.updateCustomerSession.customerSession.version"));
    }

    @Test
    void firstSessionIsFixedAtCreation() {
        String profile = "profile-" + UUID.randomUUID();
        assertEquals(true, shop.updateOk(newId(), Map.of("profileId", profile)).get("firstSession"));
        String second = newId();
        assertEquals(false, shop.updateOk(second, Map.of("profileId", profile)).get("firstSession"));
        assertEquals(true, shop.updateOk(newId(), Map.of()).get("firstSession"), "anonymous sessions are always first");
        assertEquals(true, TestApplication.create().updateOk(newId(), Map.of("profileId", profile)).get("firstSession"),
                "sessions of other applications do not count");
        assertEquals(false, shop.updateOk(second, Map.of("profileId", "p-" + UUID.randomUUID())).get("firstSession"));
    }

    @Test
    void unknownSessionsAreNotFound() {
        String id = newId();
        assertNull(shop.stored(id));
        for (String operation : List.of("closeCustomerSession", "cancelCustomerSession")) {
            JsonPath response = shop.call(operation, vars("integrationId", id));
            assertEquals("NOT_FOUND", response.getString("data." + operation + ".userErrors[0].code"));
            assertEquals(List.of("integrationId"), response.getList("data." + operation + ".userErrors[0].field"));
        }
        assertNull(shop.stored(id));
    }

    /** A session brought into the given state through the API; returns it as stored. */
    private Map<String, Object> sessionIn(String id, String state) {
        shop.updateOk(id, Map.of("couponCodes", List.of("X"), "cartItems", List.of(Map.of("sku", "S", "quantity", 1, "price", "2.50"))));
        if (!state.equals("open")) {
            shop.updateOk(id, Map.of("state", state));
        }
        Map<String, Object> stored = shop.stored(id);
        assertEquals(state, stored.get("state"));
        return stored;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> cartItems(Map<String, Object> session) {
        return (List<Map<String, Object>>) session.get("cartItems");
    }
}
