package dev.customersessions.session;

import static dev.customersessions.support.GraphQLClient.MANAGEMENT;
import static dev.customersessions.support.GraphQLClient.apiKey;
import static dev.customersessions.support.GraphQLClient.assertAmount;
import static dev.customersessions.support.GraphQLClient.post;
import static dev.customersessions.support.GraphQLClient.vars;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.TreeSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import dev.customersessions.support.Concurrently;
import dev.customersessions.support.GraphQLClient;
import dev.customersessions.support.TestApplication;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * Merging carts at login (docs/login.md): mergeCustomerSession over HTTP, as the shop's server calls it, each strategy's
 * rules field by field with exact totals, the state merged and what it refuses, the refusals with both sessions left as
 * they were, dry runs, expectedVersion, the Idempotency-Key, flattening, limits, who may call it, and concurrent merges
 * of one customer.
 */
@QuarkusTest
class MergeAtLoginTest {

    private static final String MERGE = "mergeCustomerSession";

    private static Map<String, Object> item(String sku, int quantity, String price, Object... more) {
        Map<String, Object> item = new LinkedHashMap<>(vars("sku", sku, "quantity", quantity, "price", price));
        item.putAll(vars(more));
        return item;
    }

    private static JsonPath merge(TestApplication shop, String guest, String profileId, String strategy, Object... more) {
        Map<String, Object> v = vars("integrationId", guest, "profileId", profileId, "strategy", strategy);
        v.putAll(vars(more));
        return shop.call(MERGE, v);
    }

    private static JsonPath mergeOk(TestApplication shop, String guest, String profileId, String strategy, Object... more) {
        JsonPath answer = merge(shop, guest, profileId, strategy, more);
        assertNull(answer.get("errors"), answer::prettify);
        assertEquals(List.of(), answer.getList("data." + MERGE + ".userErrors"), answer::prettify);
        return answer;
    }

    private static Map<String, Object> read(TestApplication shop, String integrationId) {
        return shop.call("mergedSession", vars("integrationId", integrationId)).getMap("data.customerSession");
    }

    private static List<Object> skusAndQuantities(Map<String, Object> session) {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> items = (List<Map<String, Object>>) session.get("cartItems");
        return items.stream().map(i -> i.get("sku") + "×" + i.get("quantity")).collect(Collectors.toList());
    }

    private static List<String> names(Object list) {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> entries = (List<Map<String, Object>>) list;
        return entries.stream().map(e -> e.get("name") + "=" + (e.get("price") != null ? e.get("price")
                : e.get("stringValue") != null ? e.get("stringValue") : e.get("booleanValue"))).toList();
    }

    /** The customer's cart and the guest's, as in the worked example of docs/login.md. */
    private static void customerAndGuest(TestApplication shop, String customer, String guest) {
        shop.updateOk(customer, vars("profileId", "ann",
                "cartItems", List.of(item("SHOE", 2, "59.95"), item("SOCK", 1, "4.99", "attributes", List.of(vars("name", "color", "stringValue", "red")))),
                "couponCodes", List.of("SPRING", "VIP"), "loyaltyCards", List.of("LC-ANN"), "identifiers", List.of("device-1", "device-2"),
                "additionalCosts", List.of(vars("name", "shipping", "price", "4.99")),
                "attributes", List.of(vars("name", "city", "stringValue", "Berlin"))));
        shop.updateOk(guest, vars(
                "cartItems", List.of(item("SHOE", 1, "59.95"), item("SOCK", 1, "4.99", "attributes", List.of(vars("name", "color", "stringValue", "blue"))),
                        item("HAT", 1, "20.00")),
                "couponCodes", List.of("VIP", "WELCOME"), "referralCode", "FRIEND-7", "loyaltyCards", List.of("LC-GUEST"),
                "identifiers", List.of("device-9", "device-2", "device-8", "device-7", "device-6"),
                "additionalCosts", List.of(vars("name", "shipping", "price", "9.99"), vars("name", "insurance", "price", "2.00")),
                "attributes", List.of(vars("name", "city", "stringValue", "Paris"), vars("name", "giftWrap", "booleanValue", true))));
    }

    @Test
    void mergeLinesAddsTheGuestsContentToTheCustomersSession() {
        TestApplication shop = TestApplication.create();
        customerAndGuest(shop, "ann-cart", "guest-cart");
        Map<String, Object> guestBefore = read(shop, "guest-cart");

        JsonPath answer = mergeOk(shop, "guest-cart", "ann", null); // the default strategy: MERGE_LINES
        Map<String, Object> merged = survivor(answer);
        assertEquals("ann-cart", merged.get("integrationId"));
        assertEquals("open", merged.get("state"));
        assertEquals(2, merged.get("version"));
        assertEquals(List.of("SHOE×3", "SOCK×1", "SOCK×1", "HAT×1"), skusAndQuantities(merged));
        assertEquals(List.of("SPRING", "VIP", "WELCOME"), merged.get("couponCodes"));
        assertEquals("FRIEND-7", merged.get("referralCode"), "the customer had none: the guest's");
        assertEquals(List.of("LC-ANN"), merged.get("loyaltyCards"), "the customer's");
        assertEquals(List.of("device-1", "device-2", "device-9", "device-8", "device-7"), merged.get("identifiers"),
                "the union, the customer's first, within the limit of 5");
        assertEquals(List.of("insurance=2", "shipping=4.99"), names(merged.get("additionalCosts")));
        assertEquals(List.of("city=Berlin", "giftWrap=true"), names(merged.get("attributes")));
        assertAmount("209.83", merged.get("cartItemTotal")); // 3 × 59.95 + 4.99 + 4.99 + 20
        assertAmount("6.99", merged.get("additionalCostTotal"));
        assertAmount("216.82", merged.get("total"));
        assertEquals("SECRET", merged.get("cartSetBy"));
        assertEquals(merged, read(shop, "ann-cart"), "the answer is what is stored");

        List<Map<String, Object>> away = answer.getList("data." + MERGE + ".mergedSessions");
        assertEquals(1, away.size());
        Map<String, Object> guest = read(shop, "guest-cart");
        assertEquals(away.get(0), guest);
        assertEquals("merged", guest.get("state"));
        assertEquals("ann-cart", guest.get("mergedInto"));
        assertEquals("ann", guest.get("profileId"), "so that erasing the customer finds it");
        assertEquals(2, guest.get("version"));
        for (String kept : List.of("cartItems", "couponCodes", "referralCode", "identifiers", "additionalCosts", "attributes", "total")) {
            assertEquals(guestBefore.get(kept), guest.get(kept), kept + " of the merged session stays as it was");
        }
        assertEquals(List.of("ann-cart"), openSessionsOf(shop, "ann"));
    }

    @Test
    void keepCustomerDropsTheGuestsContent() {
        TestApplication shop = TestApplication.create();
        customerAndGuest(shop, "ann-cart", "guest-cart");
        Map<String, Object> customerBefore = read(shop, "ann-cart");

        JsonPath answer = mergeOk(shop, "guest-cart", "ann", "KEEP_CUSTOMER");
        Map<String, Object> survivor = survivor(answer);
        assertEquals(customerBefore, survivor, "the customer's session as it was: not even a new version");
        assertEquals(customerBefore, read(shop, "ann-cart"));
        assertMergedInto(shop, "guest-cart", "ann-cart");
        assertEquals(List.of("ann-cart"), openSessionsOf(shop, "ann"));
    }

    @Test
    void useGuestKeepsTheGuestSessionAndMergesTheCustomersAway() {
        TestApplication shop = TestApplication.create();
        customerAndGuest(shop, "ann-cart", "guest-cart");
        Map<String, Object> guestBefore = read(shop, "guest-cart");

        JsonPath answer = mergeOk(shop, "guest-cart", "ann", "USE_GUEST");
        Map<String, Object> survivor = survivor(answer);
        assertEquals("guest-cart", survivor.get("integrationId"));
        assertEquals("ann", survivor.get("profileId"));
        assertEquals(2, survivor.get("version"));
        assertEquals(guestBefore.get("cartItems"), survivor.get("cartItems"));
        assertEquals(guestBefore.get("couponCodes"), survivor.get("couponCodes"));
        assertAmount("84.94", survivor.get("cartItemTotal")); // 59.95 + 4.99 + 20
        Map<String, Object> customer = assertMergedInto(shop, "ann-cart", "guest-cart");
        assertEquals(List.of(customer), answer.getList("data." + MERGE + ".mergedSessions"));
        assertEquals(List.of("guest-cart"), openSessionsOf(shop, "ann"));
    }

    @Test
    void withoutAnOpenSessionOfTheCustomerTheGuestSessionIsOnlyBound() {
        TestApplication shop = TestApplication.create();
        shop.updateOk("ann-order", vars("profileId", "ann", "state", "closed", "cartItems", List.of(item("SHOE", 1, "59.95"))));
        shop.updateOk("guest-cart", vars("cartItems", List.of(item("HAT", 1, "20"))));

        JsonPath answer = mergeOk(shop, "guest-cart", "ann", "KEEP_CUSTOMER");
        Map<String, Object> bound = survivor(answer);
        assertEquals("guest-cart", bound.get("integrationId"));
        assertEquals("ann", bound.get("profileId"));
        assertEquals(2, bound.get("version"));
        assertEquals(List.of(), answer.getList("data." + MERGE + ".mergedSessions"));
        assertEquals("closed", read(shop, "ann-order").get("state"), "a closed session is no merge target");

        JsonPath again = mergeOk(shop, "guest-cart", "ann", "MERGE_LINES");
        assertEquals(bound, survivor(again), "bound already, no other open session: no change");
        assertEquals(2, read(shop, "guest-cart").get("version"));
    }

    @Test
    void severalOpenSessionsOfTheCustomerAreAllMergedIntoTheMostRecentlyUpdated() {
        TestApplication shop = TestApplication.create();
        shop.updateOk("ann-phone", vars("profileId", "ann", "cartItems", List.of(item("PHONE-CASE", 1, "15"))));
        shop.updateOk("ann-laptop", vars("profileId", "ann", "cartItems", List.of(item("LAPTOP-BAG", 1, "80"))));
        shop.updateOk("ann-phone", vars("couponCodes", List.of("PHONE")));  // now the most recently updated
        shop.updateOk("guest-cart", vars("cartItems", List.of(item("HAT", 1, "20"))));

        JsonPath answer = mergeOk(shop, "guest-cart", "ann", "MERGE_LINES");
        Map<String, Object> survivor = survivor(answer);
        assertEquals("ann-phone", survivor.get("integrationId"));
        assertEquals(List.of("PHONE-CASE×1", "LAPTOP-BAG×1", "HAT×1"), skusAndQuantities(survivor),
                "the target's lines, then the other customer session's, then the guest's");
        assertAmount("115", survivor.get("cartItemTotal"));
        List<Map<String, Object>> away = answer.getList("data." + MERGE + ".mergedSessions");
        assertEquals(List.of("guest-cart", "ann-laptop"), away.stream().map(s -> s.get("integrationId")).toList());
        assertEquals("ann-phone", read(shop, "ann-laptop").get("mergedInto"));
        assertEquals(List.of("ann-phone"), openSessionsOf(shop, "ann"));
    }

    /** A merge takes in at most the customer's 10 most recently updated open sessions: its work and answer are bounded. */
    @Test
    void aMergeTakesInTheTenMostRecentlyUpdatedOpenSessions() {
        TestApplication shop = TestApplication.create();
        for (int i = 0; i < 12; i++) {
            shop.updateOk("ann-" + i, vars("profileId", "ann"));
        }
        shop.updateOk("guest-cart", vars("cartItems", List.of(item("HAT", 1, "20"))));
        JsonPath answer = mergeOk(shop, "guest-cart", "ann", "MERGE_LINES");
        assertEquals("ann-11", survivor(answer).get("integrationId"));
        assertEquals(10, answer.getList("data." + MERGE + ".mergedSessions").size(), "the guest and 9 of the customer's");
        assertEquals(List.of("ann-0", "ann-1", "ann-11"), openSessionsOf(shop, "ann"), "the two oldest stay open, for a later merge");
        shop.updateOk("guest-2", vars("cartItems", List.of(item("CAP", 1, "5"))));
        mergeOk(shop, "guest-2", "ann", "MERGE_LINES");
        assertEquals(List.of("ann-11"), openSessionsOf(shop, "ann"));
    }

    @Test
    void theMergedStateIsFinal() {
        TestApplication shop = TestApplication.create();
        customerAndGuest(shop, "ann-cart", "guest-cart");
        mergeOk(shop, "guest-cart", "ann", "MERGE_LINES");
        Map<String, Object> merged = read(shop, "guest-cart");

        assertEquals("SESSION_NOT_OPEN", shop.update("guest-cart", vars("couponCodes", List.of("X")))
                .getString("data.updateCustomerSession.userErrors[0].code"));
        assertEquals("INVALID_STATE_TRANSITION", shop.update("guest-cart", vars("state", "open"))
                .getString("data.updateCustomerSession.userErrors[0].code"));
        assertEquals("INVALID_STATE_TRANSITION", shop.call("closeCustomerSession", vars("integrationId", "guest-cart"))
                .getString("data.closeCustomerSession.userErrors[0].code"));
        assertEquals("INVALID_STATE_TRANSITION", shop.call("cancelCustomerSession", vars("integrationId", "guest-cart"))
                .getString("data.cancelCustomerSession.userErrors[0].code"));
        assertEquals("INVALID_STATE_TRANSITION", shop.call("returnCartItems", vars("integrationId", "guest-cart",
                "items", List.of(vars("position", 0)))).getString("data.returnCartItems.userErrors[0].code"));
        JsonPath again = merge(shop, "guest-cart", "ann", "USE_GUEST");
        assertEquals("SESSION_NOT_OPEN", again.getString("data." + MERGE + ".userErrors[0].code"));
        assertTrue(again.getString("data." + MERGE + ".userErrors[0].message").contains("merged into \"ann-cart\""), again::prettify);
        assertEquals(merged, read(shop, "guest-cart"), "nothing changed the merged session");
        shop.updateOk("guest-cart", vars("state", "merged")); // asking for the state it is in changes nothing
        assertEquals(merged, read(shop, "guest-cart"));
        assertEquals("INVALID_STATE_TRANSITION", shop.update("ann-cart", vars("state", "merged"))
                .getString("data.updateCustomerSession.userErrors[0].code"), "merged is reached only by a merge");

        JsonPath listed = shop.call("customerSessions", vars("filter", vars("state", "merged")));
        assertEquals(List.of("guest-cart"), listed.getList("data.customerSessions.edges.node.integrationId"));
    }

    @Test
    void refusalsChangeNothing() {
        TestApplication shop = TestApplication.create();
        customerAndGuest(shop, "ann-cart", "guest-cart");
        shop.updateOk("bob-cart", vars("profileId", "bob", "cartItems", List.of(item("HAT", 1, "20"))));
        shop.updateOk("guest-order", vars("state", "closed", "cartItems", List.of(item("HAT", 1, "20"))));
        Map<String, Map<String, Object>> before = new HashMap<>();
        for (String id : List.of("ann-cart", "guest-cart", "bob-cart", "guest-order")) {
            before.put(id, read(shop, id));
        }

        assertRefused(merge(shop, "bob-cart", "ann", "MERGE_LINES"), "PROFILE_MISMATCH", List.of("integrationId"));
        assertRefused(merge(shop, "guest-order", "ann", "MERGE_LINES"), "SESSION_NOT_OPEN", List.of("integrationId"));
        assertRefused(merge(shop, "no-such-cart", "ann", "MERGE_LINES"), "NOT_FOUND", List.of("integrationId"));
        JsonPath conflict = merge(shop, "guest-cart", "ann", "MERGE_LINES", "expectedVersion", 7);
        assertRefused(conflict, "VERSION_CONFLICT", List.of("expectedVersion"));
        assertTrue(conflict.getString("data." + MERGE + ".userErrors[0].message").contains("current version is 1"));
        assertRefused(merge(shop, "guest-cart", "", "MERGE_LINES"), "VALIDATION_FAILED", List.of("profileId"));
        assertRefused(merge(shop, "guest-cart", "x".repeat(1001), "MERGE_LINES"), "VALIDATION_FAILED", List.of("profileId"));
        for (String id : before.keySet()) {
            assertEquals(before.get(id), read(shop, id), id + " unchanged");
        }
        assertEquals(2, mergeOk(shop, "guest-cart", "ann", "MERGE_LINES", "expectedVersion", 1)
                .getInt("data." + MERGE + ".customerSession.version"));
    }

    private static void assertRefused(JsonPath answer, String code, List<String> field) {
        assertNull(answer.get("errors"), answer::prettify);
        assertNull(answer.get("data." + MERGE + ".customerSession"), answer::prettify);
        assertEquals(List.of(), answer.getList("data." + MERGE + ".mergedSessions"));
        assertEquals(code, answer.getString("data." + MERGE + ".userErrors[0].code"), answer::prettify);
        assertEquals(field, answer.getList("data." + MERGE + ".userErrors[0].field"), answer::prettify);
    }

    @Test
    void aMergeOverALimitIsRefusedWhole() {
        TestApplication shop = TestApplication.create();
        shop.updateOk("ann-cart", vars("profileId", "ann", "cartItems", IntStream.range(0, 600).mapToObj(i -> item("A-" + i, 1, "1")).toList(),
                "couponCodes", IntStream.range(0, 60).mapToObj(i -> "ANN-" + i).toList()));
        shop.updateOk("guest-cart", vars("cartItems", IntStream.range(0, 401).mapToObj(i -> item("G-" + i, 1, "1")).toList()));
        shop.updateOk("guest-codes", vars("couponCodes", IntStream.range(0, 41).mapToObj(i -> "G-" + i).toList()));
        Map<String, Object> customer = read(shop, "ann-cart");
        Map<String, Object> guest = read(shop, "guest-cart");
        Map<String, Object> codes = read(shop, "guest-codes");

        JsonPath tooManyItems = merge(shop, "guest-cart", "ann", "MERGE_LINES");
        assertRefused(tooManyItems, "LIMIT_EXCEEDED", List.of("integrationId"));
        assertTrue(tooManyItems.getString("data." + MERGE + ".userErrors[0].message").contains("1001 items"), tooManyItems::prettify);
        assertRefused(merge(shop, "guest-codes", "ann", "MERGE_LINES"), "LIMIT_EXCEEDED", List.of("integrationId"));
        assertEquals(customer, read(shop, "ann-cart"));
        assertEquals(guest, read(shop, "guest-cart"));
        assertEquals(codes, read(shop, "guest-codes"));

        // The same carts fit when nothing is added up: the other strategies are not refused.
        assertEquals("ann-cart", mergeOk(shop, "guest-cart", "ann", "KEEP_CUSTOMER").getString("data." + MERGE + ".customerSession.integrationId"));
    }

    @Test
    void withFlatteningOnTheMergedCartIsStoredOneUnitAPosition() {
        TestApplication shop = TestApplication.create();
        JsonPath on = post(MANAGEMENT, "updateApplication", vars("id", String.valueOf(shop.id), "input", Map.of("cartItemFlattening", true)));
        assertEquals(List.of(), on.getList("data.updateApplication.userErrors"));
        shop.updateOk("ann-cart", vars("profileId", "ann", "cartItems", List.of(item("SHOE", 2, "59.95"), item("SOCK", 1, "4.99"))));
        shop.updateOk("guest-cart", vars("cartItems", List.of(item("SHOE", 1, "59.95"), item("HAT", 2, "20"))));

        Map<String, Object> merged = mergeOk(shop, "guest-cart", "ann", "MERGE_LINES").getMap("data." + MERGE + ".customerSession");
        assertEquals(List.of("SHOE×1", "SHOE×1", "SHOE×1", "SOCK×1", "HAT×1", "HAT×1"), skusAndQuantities(merged));
        assertAmount("224.84", merged.get("cartItemTotal")); // 3 × 59.95 + 4.99 + 2 × 20
        assertEquals(merged, read(shop, "ann-cart"));
    }

    @Test
    void aDryRunShowsTheMergeAndStoresNothing() {
        TestApplication shop = TestApplication.create();
        customerAndGuest(shop, "ann-cart", "guest-cart");
        Map<String, Object> customer = read(shop, "ann-cart");
        Map<String, Object> guest = read(shop, "guest-cart");

        JsonPath dry = mergeOk(shop, "guest-cart", "ann", "MERGE_LINES", "dry", true);
        assertEquals(List.of("SHOE×3", "SOCK×1", "SOCK×1", "HAT×1"), skusAndQuantities(survivor(dry)));
        assertEquals("merged", dry.getString("data." + MERGE + ".mergedSessions[0].state"));
        assertEquals(customer, read(shop, "ann-cart"));
        assertEquals(guest, read(shop, "guest-cart"));
    }

    @Test
    void aGuestCartAPageSetKeepsTheMergedCartMarkedAsThePagesClaim() {
        TestApplication shop = TestApplication.create();
        String publishable = createKey(shop, Map.of("kind", "PUBLISHABLE"));
        JsonPath started = post(apiKey(publishable), "startCustomerSession", vars("input", Map.of("cartItems", List.of(item("HAT", 1, "0.01")))));
        String guest = started.getString("data.startCustomerSession.customerSession.integrationId");
        shop.updateOk("ann-cart", vars("profileId", "ann", "cartItems", List.of(item("SHOE", 1, "59.95"))));

        Map<String, Object> merged = mergeOk(shop, guest, "ann", "MERGE_LINES").getMap("data." + MERGE + ".customerSession");
        assertEquals("PUBLISHABLE", merged.get("cartSetBy"), "the hat's price is what a page sent: the shop re-prices before it charges");
        assertAmount("59.96", merged.get("cartItemTotal"));
    }

    @Test
    void onlyServerKeysWithWriteSessionsMayMerge() {
        TestApplication shop = TestApplication.create();
        customerAndGuest(shop, "ann-cart", "guest-cart");
        Map<String, Object> customer = read(shop, "ann-cart");
        Map<String, Object> guest = read(shop, "guest-cart");
        String publishable = createKey(shop, Map.of("kind", "PUBLISHABLE"));
        String without = createKey(shop, Map.of("kind", "RESTRICTED", "scopes", List.of("READ_SESSIONS", "CLOSE_SESSIONS",
                "CANCEL_SESSIONS", "RETURN_CART_ITEMS", "ISSUE_SESSION_TOKENS", "READ_APPLICATION")));
        String with = createKey(shop, Map.of("kind", "RESTRICTED", "scopes", List.of("WRITE_SESSIONS")));
        Map<String, Object> v = vars("integrationId", "guest-cart", "profileId", "ann");

        for (String refused : List.of(publishable, without)) {
            JsonPath answer = post(apiKey(refused), MERGE, v);
            assertEquals("FORBIDDEN", answer.getString("errors[0].extensions.code"), answer::prettify);
            assertNull(answer.get("data." + MERGE), answer::prettify);
        }
        assertEquals(customer, read(shop, "ann-cart"));
        assertEquals(guest, read(shop, "guest-cart"));

        JsonPath allowed = post(apiKey(with), MERGE, v);
        assertEquals(List.of(), allowed.getList("data." + MERGE + ".userErrors"), allowed::prettify);
        assertEquals("RESTRICTED", allowed.getString("data." + MERGE + ".customerSession.cartSetBy"));
    }

    @Test
    void aMergeCostsAsAMutationAndItsSelection() {
        TestApplication shop = TestApplication.create();
        shop.updateOk("guest-cart", vars());
        shop.updateOk("to-close", vars());
        JsonPath merged = mergeOk(shop, "guest-cart", "ann", null);
        JsonPath closed = shop.call("closeCustomerSession", vars("integrationId", "to-close"));
        // one more field that selects a session (mergedSessions) with the same selection as customerSession: 9 points
        assertEquals(closed.getLong("extensions.cost.requestedQueryCost") + 9, merged.getLong("extensions.cost.requestedQueryCost"));
    }

    @Test
    void aRepeatUnderAnIdempotencyKeyIsTheFirstAnswer() {
        TestApplication shop = TestApplication.create();
        customerAndGuest(shop, "ann-cart", "guest-cart");
        String key = UUID.randomUUID().toString();
        Map<String, Object> body = Map.of("query", GraphQLClient.document(MERGE),
                "variables", vars("integrationId", "guest-cart", "profileId", "ann", "strategy", "MERGE_LINES"));
        Response first = given().contentType(ContentType.JSON).header("Authorization", shop.authorization()).header("Idempotency-Key", key)
                .body(body).post("/graphql");
        Response repeat = given().contentType(ContentType.JSON).header("Authorization", shop.authorization()).header("Idempotency-Key", key)
                .body(body).post("/graphql");
        assertEquals(200, repeat.statusCode());
        assertEquals("true", repeat.header("Idempotent-Replayed"));
        assertEquals(first.jsonPath().getMap("data").toString(), repeat.jsonPath().getMap("data").toString());
        assertEquals(2, read(shop, "ann-cart").get("version"), "applied once");
    }

    /**
     * Eight guests log in as one customer at the same moment, each merging its cart (a line of its own and a bag) by
     * MERGE_LINES into the customer's open session: the customer ends with exactly one open session holding every
     * guest's line, the bags added up.
     */
    @Test
    void concurrentMergesIntoTheCustomersSessionEndInOneOpenSession() throws Exception {
        mergeEightGuestsAtOnce(true);
    }

    /**
     * As above, but the customer has no open session yet: the first merge only binds its guest session, and every other
     * merge, waiting for the profile's lock, finds that one and merges into it (without the lock, each would bind its own).
     */
    @Test
    void concurrentMergesOfACustomerWithoutASessionEndInOneOpenSession() throws Exception {
        mergeEightGuestsAtOnce(false);
    }

    private static void mergeEightGuestsAtOnce(boolean customerHasACart) throws Exception {
        TestApplication shop = TestApplication.create();
        int guests = 8;
        if (customerHasACart) {
            shop.updateOk("carl-cart", vars("profileId", "carl", "cartItems", List.of(item("BAG", 1, "10"))));
        }
        for (int i = 0; i < guests; i++) {
            shop.updateOk("guest-" + i, vars("cartItems", List.of(item("ITEM-" + i, i + 1, "1.5"), item("BAG", 1, "10"))));
        }
        List<JsonPath> answers = Concurrently.call(guests, i -> {
            for (int attempt = 0; ; attempt++) {
                JsonPath answer = merge(shop, "guest-" + i, "carl", "MERGE_LINES");
                if (answer.get("errors") == null || attempt > 20 || !"BUSY".equals(answer.getString("errors[0].extensions.code"))) {
                    return answer;
                }
            }
        });
        for (JsonPath answer : answers) {
            assertEquals(List.of(), answer.getList("data." + MERGE + ".userErrors"), answer::prettify);
        }
        List<String> open = openSessionsOf(shop, "carl");
        assertEquals(1, open.size(), "exactly one open session of the customer: " + open);
        String survivor = open.get(0);
        Map<String, Object> merged = read(shop, survivor);
        List<Object> lines = skusAndQuantities(merged);
        int bags = customerHasACart ? guests + 1 : guests;
        assertTrue(lines.contains("BAG×" + bags), lines::toString);
        TreeSet<String> expected = new TreeSet<>(List.of("BAG×" + bags));
        for (int i = 0; i < guests; i++) {
            expected.add("ITEM-" + i + "×" + (i + 1));
        }
        assertEquals(expected, new TreeSet<>(lines.stream().map(String::valueOf).toList()), "every guest line, once");
        assertEquals(guests + 1, lines.size());
        assertAmount(new BigDecimal(10 * bags).add(new BigDecimal("54")).toPlainString(), merged.get("cartItemTotal"));
        assertEquals(1 + guests, merged.get("version"), "created, then one new version per merge");
        for (int i = 0; i < guests; i++) {
            if (!survivor.equals("guest-" + i)) {
                assertMergedInto(shop, "guest-" + i, survivor);
            }
        }
    }

    /** The survivor a merge answered. */
    private static Map<String, Object> survivor(JsonPath answer) {
        return answer.getMap("data." + MERGE + ".customerSession");
    }

    /** Asserts that the session is merged into the survivor, and returns it as stored. */
    private static Map<String, Object> assertMergedInto(TestApplication shop, String integrationId, String survivor) {
        Map<String, Object> session = read(shop, integrationId);
        assertEquals("merged", session.get("state"), integrationId);
        assertEquals(survivor, session.get("mergedInto"), integrationId);
        return session;
    }

    /** The open sessions of the profile, in id order. */
    private static List<String> openSessionsOf(TestApplication shop, String profileId) {
        JsonPath listed = shop.call("customerSessions", vars("filter", vars("profileId", profileId, "state", "open"), "first", 100));
        return listed.getList("data.customerSessions.edges.node.integrationId");
    }

    private static String createKey(TestApplication shop, Map<String, ?> input) {
        JsonPath created = post(MANAGEMENT, "createApiKey", vars("applicationId", String.valueOf(shop.id), "input", input));
        assertEquals(List.of(), created.getList("data.createApiKey.userErrors"), created::prettify);
        assertNotNull(created.getString("data.createApiKey.apiKey.key"));
        return created.getString("data.createApiKey.apiKey.key");
    }
}
