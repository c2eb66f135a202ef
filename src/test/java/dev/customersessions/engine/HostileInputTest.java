package dev.customersessions.engine;

import static dev.customersessions.support.GraphQLClient.vars;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.customersessions.support.GraphQLClient;
import dev.customersessions.support.TestApplication;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * Inputs an attacker (or a buggy client) sends: numbers out of range or with huge exponents, ids of multibyte text,
 * invalid Unicode, huge malformed values. Each gets a prompt, typed answer with a short message; nothing stored
 * changes; and every stored session can still be read whole afterwards.
 */
@QuarkusTest
class HostileInputTest {

    private static final String ID = "hostile";
    private TestApplication shop;
    private Map<String, Object> before;

    @BeforeEach
    void storeASession() {
        shop = TestApplication.create();
        before = shop.updateOk(ID, Map.of("profileId", "p1", "cartItems", List.of(vars("sku", "A", "quantity", 3, "price", "9.99",
                "attributes", List.of(Map.of("name", "size", "numberValue", "42"))))));
    }

    /** After every test: the session is as stored, and every session of the application reads back whole. */
    @AfterEach
    void nothingChangedAndEverythingIsReadable() {
        assertEquals(before, shop.stored(ID));
        String after = null;
        do {
            JsonPath page = shop.call("allSessions", vars("first", 100, "after", after));
            assertNull(page.get("errors"), page::prettify);
            after = page.getBoolean("data.customerSessions.pageInfo.hasNextPage") ? page.getString("data.customerSessions.pageInfo.endCursor") : null;
        } while (after != null);
    }

    /** Sends a raw JSON body; returns the response, asserting HTTP 200. */
    private JsonPath send(String body) {
        String response = given().contentType(ContentType.JSON).header("Authorization", shop.authorization()).body(body)
                .post("/graphql").then().statusCode(200).extract().asString();
        return new JsonPath(response);
    }

    private static String update(String variables) {
        return "{\"query\":" + json(GraphQLClient.document("updateCustomerSession")) + ",\"variables\":" + variables + "}";
    }

    private static void assertBadRequest(JsonPath response, String messagePart) {
        assertEquals("BAD_REQUEST", response.getString("errors[0].extensions.code"), response::prettify);
        assertTrue(response.getString("errors[0].message").contains(messagePart), response::prettify);
        assertTrue(response.getString("errors[0].message").length() <= ErrorCodes.MAX_MESSAGE_LENGTH, response::prettify);
        assertNull(response.get("data.updateCustomerSession"), response::prettify);
    }

    /** A JSON string literal; surrogates and control characters escaped, so that even unpaired ones can be sent. */
    static String json(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || Character.isSurrogate(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    static Stream<Arguments> integersOutOfRange() {
        return Stream.of(Arguments.of("4294967297"), Arguments.of("1.9"), Arguments.of("2147483648"),
                Arguments.of("-2147483649"), Arguments.of("1e10"), Arguments.of("\"3\""));
    }

    /** Variables: quantity is never wrapped or truncated (4294967297 and 1.9 used to become 1). */
    @ParameterizedTest(name = "quantity {0}")
    @MethodSource("integersOutOfRange")
    void quantityInVariables(String quantity) {
        JsonPath response = send(update("{\"integrationId\":\"" + ID + "\",\"input\":{\"cartItems\":[{\"sku\":\"A\",\"quantity\":" + quantity + ",\"price\":\"1\"}]}}"));
        assertBadRequest(response, "Int must be a whole number");
    }

    @ParameterizedTest(name = "quantity {0}")
    @ValueSource(strings = { "4294967297", "1.9", "2147483648" })
    void quantityAsLiteral(String quantity) {
        JsonPath response = GraphQLClient.postDocument(shop.authorization(), "mutation { updateCustomerSession(integrationId: \"" + ID
                + "\", input: { cartItems: [{ sku: \"A\", quantity: " + quantity + ", price: \"1\" }] }) { userErrors { code } } }", null);
        assertBadRequest(response, "Int must be a whole number");
    }

    @Test
    void wholeNumbersWrittenWithAFractionAreExact() {
        JsonPath response = send(update("{\"integrationId\":\"exact\",\"input\":{\"cartItems\":[{\"sku\":\"A\",\"quantity\":2.0,\"price\":\"1\"}]}}"));
        assertEquals(2, response.getInt("data.updateCustomerSession.customerSession.cartItems[0].quantity"), response::prettify);
    }

    /** Top-level Int arguments: first and expectedVersion (used to answer "System error"). */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "4294967297", "1.5" })
    void topLevelIntegers(String value) {
        JsonPath listing = send("{\"query\":" + json(GraphQLClient.document("customerSessions")) + ",\"variables\":{\"first\":" + value + "}}");
        assertEquals("BAD_REQUEST", listing.getString("errors[0].extensions.code"), listing::prettify);
        assertBadRequest(send(update("{\"integrationId\":\"" + ID + "\",\"input\":{},\"expectedVersion\":" + value + "}")),
                "Int must be a whole number");
    }

    static Stream<Arguments> hugeDecimals() {
        return Stream.of(
                Arguments.of("price 1e100000", "\"cartItems\":[{\"sku\":\"A\",\"quantity\":1,\"price\":\"1e100000\"}]"),
                Arguments.of("price 1e400000", "\"cartItems\":[{\"sku\":\"A\",\"quantity\":1,\"price\":\"1e400000\"}]"),
                Arguments.of("price 1e-400000", "\"cartItems\":[{\"sku\":\"A\",\"quantity\":1,\"price\":\"1e-400000\"}]"),
                Arguments.of("price 1e400 as a number", "\"cartItems\":[{\"sku\":\"A\",\"quantity\":1,\"price\":1e400}]"),
                Arguments.of("weight 1e400000", "\"cartItems\":[{\"sku\":\"A\",\"quantity\":1,\"price\":\"1\",\"weight\":\"1e400000\"}]"),
                Arguments.of("cost 1e400000", "\"additionalCosts\":[{\"name\":\"shipping\",\"price\":\"1e400000\"}]"),
                Arguments.of("attribute 1e40000", "\"attributes\":[{\"name\":\"n\",\"numberValue\":\"1e40000\"}]"),
                Arguments.of("attribute list 1e1200", "\"attributes\":[{\"name\":\"n\",\"numberListValue\":[\"1\",\"1e1200\"]}]"),
                Arguments.of("item attribute 1e1200", "\"cartItems\":[{\"sku\":\"A\",\"quantity\":1,\"price\":\"1\",\"attributes\":[{\"name\":\"n\",\"numberValue\":1e1200}]}]"));
    }

    /** Decimals are bounded on their digits and exponent before any arithmetic: refused at once, message short. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("hugeDecimals")
    void hugeExponents(String name, String input) {
        long started = System.nanoTime();
        JsonPath response = send(update("{\"integrationId\":\"" + ID + "\",\"input\":{" + input + "}}"));
        assertTrue(System.nanoTime() - started < 1_000_000_000L, "took more than 1 s");
        assertBadRequest(response, "at most 30 digits");
    }

    @Test
    void hugeExponentAsLiteral() {
        JsonPath response = GraphQLClient.postDocument(shop.authorization(), "mutation { updateCustomerSession(integrationId: \"" + ID
                + "\", input: { cartItems: [{ sku: \"A\", quantity: 1, price: 1e400 }] }) { userErrors { code } } }", null);
        assertBadRequest(response, "at most 30 digits");
    }

    /** A 0.9 MB request with one malformed scalar gets a short answer, not its input echoed back. */
    @Test
    void malformedValuesAreNotEchoed() {
        String big = "x".repeat(450_000);
        String body = update("{\"integrationId\":\"" + ID + "\",\"input\":{\"cartItems\":[{\"sku\":\"" + big + "\",\"quantity\":1,\"price\":\"cheap" + big + "\"}]}}");
        String response = given().contentType(ContentType.JSON).header("Authorization", shop.authorization()).body(body)
                .post("/graphql").then().statusCode(200).extract().asString();
        assertTrue(response.length() < 2000, () -> "answer of " + response.length() + " characters");
        assertBadRequest(new JsonPath(response), "Decimal must");
        // A business refusal quotes no more than a prefix either.
        JsonPath refused = shop.call("customerSessions", vars("after", "A".repeat(5000)));
        assertTrue(refused.getString("errors[0].message").length() < 200, refused::prettify);
    }

    /** Values PostgreSQL or Java cannot hold are refused with their path, never answered as INTERNAL. */
    @Test
    void timesOutOfRange() {
        for (String time : List.of("+999999999-12-31T23:59:59-18:00", "0000-06-01T00:00:00Z", "+10000-01-01T00:00:00Z")) {
            JsonPath response = shop.update(ID, Map.of("attributes", List.of(Map.of("name", "t", "timeValue", time))));
            assertEquals("VALIDATION_FAILED", response.getString("data.updateCustomerSession.userErrors[0].code"), response::prettify);
            assertEquals(List.of("input", "attributes", "0", "timeValue"), response.getList("data.updateCustomerSession.userErrors[0].field"));
        }
        JsonPath listing = shop.call("customerSessions", vars("filter", Map.of("createdFrom", "+999999999-12-31T23:59:59Z")));
        assertEquals("VALIDATION_FAILED", listing.getString("errors[0].extensions.code"), listing::prettify);
    }

    /** 1000 characters of CJK (3000 bytes) or emoji (4000 bytes): within the limit, so stored, found and listed. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "漢", "😀" })
    void multibyteIdsUpToTheLimit(String character) {
        String id = character.repeat(1000);
        String profile = character.repeat(999) + "p";
        Map<String, Object> created = shop.updateOk(id, Map.of("profileId", profile));
        assertEquals(id, created.get("integrationId"));
        assertEquals(created, shop.stored(id));
        assertEquals(1, shop.updateOk(id, Map.of("profileId", profile)).get("version"));
        JsonPath listed = shop.call("customerSessions", vars("filter", Map.of("profileId", profile)));
        assertEquals(List.of(id), listed.getList("data.customerSessions.edges.node.integrationId"));
        assertEquals("closed", shop.call("closeCustomerSession", vars("integrationId", id))
                .getString("data.closeCustomerSession.customerSession.state"));
        JsonPath tooLong = shop.update(character.repeat(1001), Map.of());
        assertEquals("VALIDATION_FAILED", tooLong.getString("data.updateCustomerSession.userErrors[0].code"));
    }

    /** Unpaired surrogates have no UTF-8 form: refused, so that "x\ud800y" and "x\udc00y" never become one id. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "x\ud800y", "x\udc00y", "x\udc00\ud800y" })
    void unpairedSurrogatesAreRefused(String text) {
        for (String variables : List.of(
                "{\"integrationId\":" + json(text) + ",\"input\":{}}",
                "{\"integrationId\":\"" + ID + "\",\"input\":{\"profileId\":" + json(text) + "}}",
                "{\"integrationId\":\"" + ID + "\",\"input\":{\"attributes\":[{\"name\":\"a\",\"stringValue\":" + json(text) + "}]}}")) {
            JsonPath response = send(update(variables));
            assertEquals("VALIDATION_FAILED", response.getString("data.updateCustomerSession.userErrors[0].code"), response::prettify);
        }
        String read = "{\"query\":" + json(GraphQLClient.document("customerSession")) + ",\"variables\":{\"integrationId\":";
        JsonPath refused = send(read + json(text) + "}}");
        assertEquals("VALIDATION_FAILED", refused.getString("errors[0].extensions.code"), refused::prettify);
        assertNull(refused.get("data.customerSession"));
        JsonPath notFound = send(read + json("x?y") + "}}");
        assertNull(notFound.get("errors"), notFound::prettify);
        assertNull(notFound.get("data.customerSession"));
    }
}
