package dev.customersessions.session;

import static dev.customersessions.support.GraphQLClient.MANAGEMENT;
import static dev.customersessions.support.GraphQLClient.post;
import static dev.customersessions.support.GraphQLClient.vars;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.Statement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.customersessions.session.SessionRetention.Erasure;
import dev.customersessions.support.GraphQLClient;
import dev.customersessions.support.TestApplication;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * eraseCustomerData: what it deletes, what it strips and what it keeps, its counts, that it is idempotent, that it
 * works through more than one batch (3 sessions a batch in tests) and answers complete: false when its time is up,
 * that the answers kept under Idempotency-Keys for the customer's sessions go with them, and that bad input changes
 * nothing. Which keys may call it: AccessMatrixTest.
 */
@QuarkusTest
class ErasureTest {

    private static final String ALICE = "alice@example.com";

    @Inject
    SessionRetention retention;

    @Inject
    AgroalDataSource dataSource;

    /** Everything a session holds about its customer, and what accounting needs. */
    private static Map<String, ?> personal(String sku) {
        return vars("profileId", ALICE, "identifiers", List.of("device-1"), "loyaltyCards", List.of("card-1"), "referralCode", "FRIEND",
                "couponCodes", List.of("SPRING"), "attributes", List.of(vars("name", "city", "stringValue", "Berlin")),
                "cartItems", List.of(vars("sku", sku, "quantity", 2, "price", "59.95", "attributes", List.of(vars("name", "color", "stringValue", "red")))),
                "additionalCosts", List.of(vars("name", "shipping", "price", "4.99")));
    }

    @Test
    void openSessionsAreDeletedAndFinishedOnesKeepOnlyWhatAccountingNeeds() throws Exception {
        TestApplication shop = TestApplication.create();
        shop.updateOk("cart", personal("SHOE"));
        shop.updateOk("order", personal("BOOT"));
        shop.call("closeCustomerSession", vars("integrationId", "order"));
        shop.updateOk("returned", personal("HAT"));
        shop.call("closeCustomerSession", vars("integrationId", "returned"));
        shop.call("returnCartItems", vars("integrationId", "returned", "items", List.of(vars("position", 0, "quantity", 1))));
        shop.updateOk("bob", vars("profileId", "bob@example.com", "couponCodes", List.of("X")));
        TestApplication other = TestApplication.create();
        other.updateOk("alice-elsewhere", vars("profileId", ALICE));
        Map<String, Object> order = full(shop, "order");
        assertEquals(List.of(), shop.call("issueSessionToken", vars("integrationId", "order")).getList("data.issueSessionToken.userErrors"));
        assertEquals(1, count("select count(*) from customer_session where application_id = " + shop.id
                + " and integration_id = 'order' and token_hash is not null"), "the order has a token to lose");

        JsonPath erased = erase(shop.authorization(), ALICE, null);
        assertEquals(vars("sessionsDeleted", 1, "sessionsStripped", 2, "idempotencyAnswersErased", 0, "complete", true,
                "userErrors", List.of()), erased.getMap("data.eraseCustomerData"), erased::prettify);

        assertNull(shop.stored("cart"), "an open session is deleted");
        Map<String, Object> stripped = full(shop, "order");
        assertNull(stripped.get("profileId"));
        assertEquals(List.of(), stripped.get("identifiers"));
        assertEquals(List.of(), stripped.get("loyaltyCards"));
        assertNull(stripped.get("referralCode"));
        assertEquals(List.of(), stripped.get("attributes"));
        assertEquals(List.of("SPRING"), stripped.get("couponCodes"), "coupon codes are kept");
        assertEquals((Integer) order.get("version") + 1, stripped.get("version"), "the erasure is the session's next version (an ERASED event)");
        for (String kept : List.of("integrationId", "state", "created", "updated", "total", "cartItemTotal", "additionalCosts",
                "additionalCostTotal", "returns")) {
            assertEquals(order.get(kept), stripped.get(kept), kept + " is kept");
        }
        List<Map<String, Object>> items = GraphQLClient.post(shop.authorization(), "customerSession", vars("integrationId", "order"))
                .getList("data.customerSession.cartItems");
        assertEquals("BOOT", items.get(0).get("sku"));
        assertEquals(2, items.get(0).get("quantity"));
        assertEquals("59.95", String.valueOf(items.get(0).get("price")));
        assertEquals(List.of(), items.get(0).get("attributes"), "cart item attributes are stripped");
        assertNotNull(erasedAt(shop, "order"), "marked erased");
        assertEquals("partially_returned", full(shop, "returned").get("state"));
        assertEquals(0, count("select count(*) from customer_session where token_hash is not null and erased is not null"));
        assertEquals("bob@example.com", full(shop, "bob").get("profileId"), "another customer is untouched");
        assertEquals(ALICE, full(other, "alice-elsewhere").get("profileId"), "the customer in another application is untouched");

        JsonPath again = erase(shop.authorization(), ALICE, null);
        assertEquals(vars("sessionsDeleted", 0, "sessionsStripped", 0, "idempotencyAnswersErased", 0, "complete", true,
                "userErrors", List.of()), again.getMap("data.eraseCustomerData"), "calling again finds nothing more");
        assertEquals(stripped, full(shop, "order"), "and changes nothing");

        JsonPath managed = erase(MANAGEMENT, ALICE, String.valueOf(other.id));
        assertEquals(1, managed.getInt("data.eraseCustomerData.sessionsDeleted"), managed::prettify);
        assertNull(other.stored("alice-elsewhere"), "management erases in the application it names");
    }

    @Test
    void theAnswersKeptForTheCustomersSessionsAreErasedAndTheErasuresOwnNamesNoOne() throws Exception {
        TestApplication shop = TestApplication.create();
        shop.updateOk("order", personal("BOOT"));
        String update = "update-" + UUID.randomUUID();
        String close = "close-" + UUID.randomUUID();
        String bobs = "bob-" + UUID.randomUUID();
        Map<String, ?> change = vars("integrationId", "cart", "input", personal("SHOE"));
        Response first = GraphQLClient.keyed(shop.authorization(), update, "updateCustomerSession", change);
        assertTrue(first.asString().contains(ALICE), first::asString);
        assertEquals(200, GraphQLClient.keyed(shop.authorization(), close, "closeCustomerSession", vars("integrationId", "order")).statusCode());
        assertEquals(200, GraphQLClient.keyed(shop.authorization(), bobs, "updateCustomerSession",
                vars("integrationId", "bob", "input", vars("profileId", "bob@example.com"))).statusCode());
        assertEquals(3, count("select count(*) from idempotency_key where key in ('" + update + "', '" + close + "', '" + bobs + "')"));

        String erasureKey = "erase-" + UUID.randomUUID();
        Response erased = GraphQLClient.keyed(shop.authorization(), erasureKey, "eraseCustomerData", vars("profileId", ALICE));
        assertEquals(2, erased.jsonPath().getInt("data.eraseCustomerData.idempotencyAnswersErased"), erased::asString);
        assertEquals(0, count("select count(*) from idempotency_key where key in ('" + update + "', '" + close + "')"), "the customer's answers are gone");
        assertEquals(1, count("select count(*) from idempotency_key where key = '" + bobs + "'"), "another customer's answer is kept");
        assertEquals(0, count("select count(*) from idempotency_key where key = '" + erasureKey + "' and response like '%alice%'"),
                "the erasure's kept answer does not name the customer");
        assertEquals(1, count("select count(*) from idempotency_key where key = '" + erasureKey + "'"));

        Response replay = GraphQLClient.keyed(shop.authorization(), erasureKey, "eraseCustomerData", vars("profileId", ALICE));
        assertEquals("true", replay.header("Idempotent-Replayed"));
        assertEquals(erased.jsonPath().getMap("data"), replay.jsonPath().getMap("data"), "a repeat under the key is the first answer");

        Response repeated = GraphQLClient.keyed(shop.authorization(), update, "updateCustomerSession", change);
        assertNotEquals("true", repeated.header("Idempotent-Replayed"), "the old answer is no longer replayed: " + repeated.asString());

        // The key reused for another customer is refused before anything of that customer is erased.
        shop.updateOk("bobs-cart", vars("profileId", "bob@example.com"));
        Response reused = GraphQLClient.keyed(shop.authorization(), erasureKey, "eraseCustomerData", vars("profileId", "bob@example.com"));
        assertEquals(422, reused.statusCode(), reused::asString);
        assertEquals("bob@example.com", full(shop, "bobs-cart").get("profileId"), "nothing erased under a reused key");
    }

    /** The answer of a merge at login, kept under its key, holds the customer's carts: it goes with the customer's data. */
    @Test
    void theAnswerOfAKeyedMergeIsErased() throws Exception {
        TestApplication shop = TestApplication.create();
        shop.updateOk("guest", vars("identifiers", List.of("device-1"), "cartItems", List.of(vars("sku", "A", "quantity", 1, "price", "1"))));
        String merge = "merge-" + UUID.randomUUID();
        Response merged = GraphQLClient.keyed(shop.authorization(), merge, "mergeCustomerSession", vars("integrationId", "guest", "profileId", ALICE));
        assertTrue(merged.asString().contains(ALICE), merged::asString);
        assertEquals(1, count("select count(*) from idempotency_key where key = '" + merge + "'"));
        erase(shop.authorization(), ALICE, null);
        assertEquals(0, count("select count(*) from idempotency_key where key = '" + merge + "'"), "the merge's answer is gone");
    }

    @Test
    void aLargeHistoryIsErasedInBatchesAndAnswersIncompleteWhenTimeIsUp() throws Exception {
        TestApplication shop = TestApplication.create();
        for (int i = 0; i < 10; i++) {
            shop.updateOk("s" + i, i % 2 == 0 ? vars("profileId", ALICE) : vars("profileId", ALICE, "state", "closed"));
        }
        JsonPath all = erase(shop.authorization(), ALICE, null);
        assertEquals(vars("sessionsDeleted", 5, "sessionsStripped", 5, "idempotencyAnswersErased", 0, "complete", true,
                "userErrors", List.of()), all.getMap("data.eraseCustomerData"), "four batches of at most 3 in one call: " + all.prettify());

        TestApplication large = TestApplication.create();
        for (int i = 0; i < 7; i++) {
            large.updateOk("s" + i, vars("profileId", ALICE));
        }
        Erasure first = retention.erase(large.id, ALICE, Duration.ZERO, null);
        assertEquals(new Erasure(3, 0, 0, false), first, "no time left after the first batch");
        assertEquals(4, count("select count(*) from customer_session where application_id = " + large.id));
        assertEquals(new Erasure(3, 0, 0, false), retention.erase(large.id, ALICE, Duration.ZERO, null));
        assertEquals(new Erasure(1, 0, 0, true), retention.erase(large.id, ALICE, Duration.ZERO, null));
        assertEquals(new Erasure(0, 0, 0, true), retention.erase(large.id, ALICE, Duration.ZERO, null));
    }

    @Test
    void badInputIsRefusedAndChangesNothing() throws Exception {
        TestApplication shop = TestApplication.create();
        shop.updateOk("cart", personal("SHOE"));
        Map<String, Object> before = full(shop, "cart");
        for (String bad : List.of("", "x".repeat(1001), "ali\u0000ce")) {
            JsonPath refused = erase(shop.authorization(), bad, null);
            assertEquals(List.of("VALIDATION_FAILED"), refused.getList("data.eraseCustomerData.userErrors.code"), refused::prettify);
            assertEquals(List.of(List.of("profileId")), refused.getList("data.eraseCustomerData.userErrors.field"));
            assertNull(refused.get("data.eraseCustomerData.complete"));
        }
        JsonPath unnamed = erase(MANAGEMENT, ALICE, null);
        assertEquals(List.of("VALIDATION_FAILED"), unnamed.getList("data.eraseCustomerData.userErrors.code"), unnamed::prettify);
        assertEquals(List.of(List.of("applicationId")), unnamed.getList("data.eraseCustomerData.userErrors.field"));
        JsonPath unknown = erase(MANAGEMENT, ALICE, "999999999");
        assertEquals(List.of("NOT_FOUND"), unknown.getList("data.eraseCustomerData.userErrors.code"), unknown::prettify);
        TestApplication other = TestApplication.create();
        JsonPath elsewhere = erase(other.authorization(), ALICE, String.valueOf(shop.id));
        assertEquals("FORBIDDEN", elsewhere.getString("errors[0].extensions.code"), elsewhere::prettify);
        assertFalse(elsewhere.prettify().contains(ALICE), "no answer echoes the profile id");
        assertEquals(before, full(shop, "cart"), "nothing changed");
    }

    // ---- helpers ----------------------------------------------------------------------------------------------------

    private static JsonPath erase(String authorization, String profileId, String applicationId) {
        return post(authorization, "eraseCustomerData", vars("profileId", profileId, "applicationId", applicationId));
    }

    private static Map<String, Object> full(TestApplication shop, String integrationId) {
        return shop.call("customerSession", vars("integrationId", integrationId)).getMap("data.customerSession");
    }

    private Object erasedAt(TestApplication shop, String integrationId) throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("select erased from customer_session where application_id = " + shop.id
                        + " and integration_id = '" + integrationId + "'")) {
            rows.next();
            return rows.getObject(1);
        }
    }

    private long count(String query) throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(query)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
