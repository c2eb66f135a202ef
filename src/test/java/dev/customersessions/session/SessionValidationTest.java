package dev.customersessions.session;

import static dev.customersessions.support.GraphQLClient.vars;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.customersessions.support.TestApplication;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** The input limits of spec sections 3 and 4: typed user errors with field paths, and nothing stored. */
@QuarkusTest
class SessionValidationTest {

    private TestApplication shop;

    @BeforeEach
    void createApplication() {
        shop = TestApplication.create();
    }

    private static List<String> strings(int count, int length) {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            values.add(("v" + i + "x".repeat(length)).substring(0, length));
        }
        return values;
    }

    private static Map<String, Object> item(Object price) {
        return vars("sku", "SKU", "quantity", 1, "price", price);
    }

    static Stream<Arguments> refusals() {
        List<Map<String, Object>> tooManyItems = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            tooManyItems.add(item("1"));
        }
        return Stream.of(
                Arguments.of("profileId too long", Map.of("profileId", "p".repeat(1001)), "VALIDATION_FAILED", List.of("input", "profileId")),
                Arguments.of("101 coupon codes", Map.of("couponCodes", strings(101, 5)), "LIMIT_EXCEEDED", List.of("input", "couponCodes")),
                Arguments.of("coupon code of 101 characters", Map.of("couponCodes", List.of("ok", "c".repeat(101))), "VALIDATION_FAILED", List.of("input", "couponCodes", "1")),
                Arguments.of("empty coupon code", Map.of("couponCodes", List.of("")), "VALIDATION_FAILED", List.of("input", "couponCodes", "0")),
                Arguments.of("referral code too long", Map.of("referralCode", "r".repeat(101)), "VALIDATION_FAILED", List.of("input", "referralCode")),
                Arguments.of("two loyalty cards", Map.of("loyaltyCards", List.of("a", "b")), "LIMIT_EXCEEDED", List.of("input", "loyaltyCards")),
                Arguments.of("six identifiers", Map.of("identifiers", strings(6, 3)), "LIMIT_EXCEEDED", List.of("input", "identifiers")),
                Arguments.of("identifier too long", Map.of("identifiers", List.of("i".repeat(1001))), "VALIDATION_FAILED", List.of("input", "identifiers", "0")),
                Arguments.of("1001 cart items", Map.of("cartItems", tooManyItems), "LIMIT_EXCEEDED", List.of("input", "cartItems")),
                Arguments.of("empty sku", Map.of("cartItems", List.of(item("1"), vars("sku", "", "quantity", 1, "price", "1"))), "VALIDATION_FAILED", List.of("input", "cartItems", "1", "sku")),
                Arguments.of("quantity 0", Map.of("cartItems", List.of(vars("sku", "A", "quantity", 0, "price", "1"))), "VALIDATION_FAILED", List.of("input", "cartItems", "0", "quantity")),
                Arguments.of("negative price", Map.of("cartItems", List.of(item("-0.01"))), "VALIDATION_FAILED", List.of("input", "cartItems", "0", "price")),
                Arguments.of("7 fraction digits", Map.of("cartItems", List.of(item("0.0000001"))), "VALIDATION_FAILED", List.of("input", "cartItems", "0", "price")),
                Arguments.of("price too large", Map.of("cartItems", List.of(item("100000000000000"))), "VALIDATION_FAILED", List.of("input", "cartItems", "0", "price")),
                Arguments.of("negative weight", Map.of("cartItems", List.of(vars("sku", "A", "quantity", 1, "price", "1", "weight", "-1"))), "VALIDATION_FAILED", List.of("input", "cartItems", "0", "weight")),
                Arguments.of("bad cost name", Map.of("additionalCosts", List.of(Map.of("name", "1st", "price", "1"))), "VALIDATION_FAILED", List.of("input", "additionalCosts", "0", "name")),
                Arguments.of("cost named twice", Map.of("additionalCosts", List.of(Map.of("name", "shipping", "price", "1"), Map.of("name", "shipping", "price", "2"))), "VALIDATION_FAILED", List.of("input", "additionalCosts", "1", "name")),
                Arguments.of("negative item cost", Map.of("cartItems", List.of(vars("sku", "A", "quantity", 1, "price", "1", "additionalCosts", List.of(Map.of("name", "wrap", "price", "-1"))))), "VALIDATION_FAILED", List.of("input", "cartItems", "0", "additionalCosts", "0", "price")),
                Arguments.of("bad attribute name", Map.of("attributes", List.of(Map.of("name", "my-attr", "stringValue", "x"))), "VALIDATION_FAILED", List.of("input", "attributes", "0", "name")),
                Arguments.of("attribute with two values", Map.of("attributes", List.of(Map.of("name", "a", "stringValue", "x", "booleanValue", true))), "VALIDATION_FAILED", List.of("input", "attributes", "0")),
                Arguments.of("attribute without value", Map.of("attributes", List.of(Map.of("name", "a"))), "VALIDATION_FAILED", List.of("input", "attributes", "0")),
                Arguments.of("NUL character in a sku", Map.of("cartItems", List.of(vars("sku", "A\u0000B", "quantity", 1, "price", "1"))), "VALIDATION_FAILED", List.of("input", "cartItems", "0", "sku")),
                Arguments.of("NUL character in an attribute", Map.of("attributes", List.of(Map.of("name", "a", "stringListValue", List.of("x\u0000")))), "VALIDATION_FAILED", List.of("input", "attributes", "0", "stringListValue")),
                Arguments.of("item attribute named twice", Map.of("cartItems", List.of(vars("sku", "A", "quantity", 1, "price", "1", "attributes", List.of(Map.of("name", "a", "stringValue", "x"), Map.of("name", "a", "stringValue", "y"))))), "VALIDATION_FAILED", List.of("input", "cartItems", "0", "attributes", "1", "name")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refusesBadInputWithCodeAndPathAndStoresNothing(String name, Map<String, Object> input, String code, List<String> path) {
        String id = "session-" + UUID.randomUUID();
        JsonPath onCreate = shop.update(id, input);
        assertEquals(code, onCreate.getString("data.updateCustomerSession.userErrors[0].code"), onCreate::prettify);
        assertEquals(path, onCreate.getList("data.updateCustomerSession.userErrors[0].field"));
        assertTrue(!onCreate.getString("data.updateCustomerSession.userErrors[0].message").isBlank());
        assertNull(onCreate.get("data.updateCustomerSession.customerSession"));
        assertNull(shop.stored(id), "a refused creation stores nothing");

        Map<String, Object> stored = shop.updateOk(id, Map.of("couponCodes", List.of("KEEP"),
                "cartItems", List.of(item("3.50"))));
        JsonPath onUpdate = shop.update(id, input);
        assertEquals(code, onUpdate.getString("data.updateCustomerSession.userErrors[0].code"));
        assertEquals(stored, shop.stored(id), "a refused update changes nothing");
    }

    @Test
    void reportsEveryProblemOfARequestAtOnce() {
        JsonPath response = shop.update("session-" + UUID.randomUUID(), Map.of("referralCode", "r".repeat(101),
                "loyaltyCards", List.of("a", "b"), "cartItems", List.of(vars("sku", "", "quantity", 0, "price", "-1"))));
        List<String> codes = response.getList("data.updateCustomerSession.userErrors.code");
        assertEquals(List.of("VALIDATION_FAILED", "LIMIT_EXCEEDED", "VALIDATION_FAILED", "VALIDATION_FAILED", "VALIDATION_FAILED"), codes);
        List<String> messages = response.getList("data.updateCustomerSession.userErrors.message");
        assertTrue(messages.contains("quantity must be at least 1, got 0"), messages::toString);
    }

    @Test
    void refusesABadIntegrationId() {
        JsonPath empty = shop.update("", Map.of());
        assertEquals("VALIDATION_FAILED", empty.getString("data.updateCustomerSession.userErrors[0].code"));
        assertEquals(List.of("integrationId"), empty.getList("data.updateCustomerSession.userErrors[0].field"));
        JsonPath tooLong = shop.update("i".repeat(1001), Map.of());
        assertEquals(List.of("integrationId"), tooLong.getList("data.updateCustomerSession.userErrors[0].field"));
        assertEquals("open", shop.updateOk("i".repeat(1000), Map.of()).get("state"), "1000 characters are fine");
    }

    static Stream<Arguments> badIntegrationIds() {
        return Stream.of(
                Arguments.of("empty", "", "integrationId must not be empty"),
                Arguments.of("1001 characters", "i".repeat(1001), "integrationId must be at most 1000 characters long"),
                Arguments.of("NUL character", "a\u0000b", "integrationId must be valid Unicode without the NUL character "
                        + "(U+0000) or unpaired surrogates (U+D800 to U+DFFF)"));
    }

    /**
     * Every operation that takes an integrationId refuses one the mutations cannot store, with one code and one message:
     * mutations in userErrors, the query (which has none) as a top-level error on its field. Nothing is stored.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("badIntegrationIds")
    void aBadIntegrationIdIsRefusedAlikeInQueriesAndMutations(String label, String id, String message) {
        shop.updateOk("kept", Map.of("cartItems", List.of(item("1.50"))));
        shop.call("closeCustomerSession", vars("integrationId", "kept"));
        Map<String, Map<String, Object>> mutations = Map.of(
                "updateCustomerSession", vars("integrationId", id, "input", Map.of("couponCodes", List.of("C"))),
                "closeCustomerSession", vars("integrationId", id),
                "cancelCustomerSession", vars("integrationId", id),
                "returnCartItems", vars("integrationId", id, "items", List.of(Map.of("position", 0))),
                "issueSessionToken", vars("integrationId", id));
        mutations.forEach((mutation, variables) -> {
            JsonPath refused = shop.call(mutation, variables);
            assertEquals(List.of(Map.of("code", "VALIDATION_FAILED", "field", List.of("integrationId"), "message", message)),
                    refused.getList("data." + mutation + ".userErrors"), refused::prettify);
            assertNull(refused.get("data." + mutation + ".customerSession"));
            assertNull(refused.get("errors"), refused::prettify);
        });
        for (String query : List.of("customerSession", "customerSessionCart")) {
            JsonPath refused = shop.call(query, vars("integrationId", id));
            assertEquals(1, refused.getList("errors").size(), refused::prettify);
            assertEquals("VALIDATION_FAILED", refused.getString("errors[0].extensions.code"));
            assertEquals(message, refused.getString("errors[0].message"));
            assertEquals(List.of("customerSession"), refused.getList("errors[0].path"));
            assertNull(refused.get("data.customerSession"));
        }
        JsonPath listing = shop.call("customerSessions", vars());
        assertEquals(List.of("kept"), listing.getList("data.customerSessions.edges.node.integrationId"), "nothing stored");
        assertEquals("closed", shop.stored("kept").get("state"), "nothing changed");
    }

    @Test
    void acceptsTheLimitsThemselves() {
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            items.add(vars("sku", "SKU-" + i, "quantity", 1, "price", "0.000001"));
        }
        Map<String, Object> session = shop.updateOk("session-" + UUID.randomUUID(), Map.of("cartItems", items,
                "couponCodes", strings(100, 100), "identifiers", strings(5, 1000), "loyaltyCards", List.of("x".repeat(1000))));
        assertEquals(1000, ((List<?>) session.get("cartItems")).size());
        assertEquals(new BigDecimal("0.001"), new BigDecimal(session.get("total").toString()));
    }

    @Test
    void lookupsWithUnstorableTextFindNothing() {
        JsonPath listing = shop.call("customerSessions", vars("filter", Map.of("couponCode", "\u0000", "profileId", "\u0000")));
        assertEquals(List.of(), listing.getList("data.customerSessions.edges"));
    }

    @Test
    void malformedRequestsGetTopLevelErrors() {
        JsonPath missingSku = shop.call("updateCustomerSession", vars("integrationId", "x",
                "input", Map.of("cartItems", List.of(Map.of("quantity", 1, "price", "1")))));
        assertTrue(missingSku.getList("errors").size() > 0);
        assertNull(missingSku.get("data"));
        JsonPath notANumber = shop.call("updateCustomerSession", vars("integrationId", "x",
                "input", Map.of("cartItems", List.of(item("cheap")))));
        assertTrue(notANumber.getList("errors").size() > 0);
        assertNull(shop.stored("x"));
    }
}
