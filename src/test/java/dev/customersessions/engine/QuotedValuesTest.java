package dev.customersessions.engine;

import static dev.customersessions.engine.HostileInputTest.json;
import static dev.customersessions.support.GraphQLClient.assertAmount;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.customersessions.support.GraphQLClient;
import dev.customersessions.support.TestApplication;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * Error messages quote a value as the client wrote it ("1e400", not Java's 1E+400), whether it came as a JSON string
 * or number in the variables or as a literal in the document. The bodies are written by hand so that each number keeps
 * the form under test.
 */
@QuarkusTest
class QuotedValuesTest {

    private TestApplication shop;
    private String id;

    @BeforeEach
    void createApplication() {
        shop = TestApplication.create();
        id = "quoted-" + UUID.randomUUID();
    }

    private JsonPath send(String body) {
        String response = given().contentType(ContentType.JSON).header("Authorization", shop.authorization()).body(body)
                .post("/graphql").then().statusCode(200).extract().asString();
        return new JsonPath(response);
    }

    /** updateCustomerSession with these variables (JSON text). */
    private String withVariables(String input, String more) {
        return "{\"query\":" + json(GraphQLClient.document("updateCustomerSession")) + ",\"variables\":{\"integrationId\":\"" + id
                + "\",\"input\":" + input + more + "}}";
    }

    /** updateCustomerSession with its input written in the document. */
    private String literal(String input) {
        return "{\"query\":" + json("mutation { updateCustomerSession(integrationId: \"" + id + "\", input: " + input
                + ") { customerSession { cartItems { price } } userErrors { code field message } } }") + "}";
    }

    private static String item(String quantity, String price) {
        return "{\"cartItems\":[{\"sku\":\"A\",\"quantity\":" + quantity + ",\"price\":" + price + "}]}";
    }

    private static String literalItem(String quantity, String price) {
        return "{ cartItems: [{ sku: \"A\", quantity: " + quantity + ", price: " + price + " }] }";
    }

    private void assertRefused(JsonPath response, String message) {
        assertEquals("BAD_REQUEST", response.getString("errors[0].extensions.code"), response::prettify);
        assertEquals(message, response.getString("errors[0].message").replaceFirst("^.* (?=Int must|Decimal must)", ""),
                response::prettify);
        assertNull(shop.stored(id), "nothing stored");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "1e400", "1.50", "100000000000000000000", "-1e-7" })
    void intsAreQuotedAsWritten(String number) {
        String message = "Int must be a whole number from -2147483648 to 2147483647, got \"" + plainIfShort(number) + "\"";
        assertRefused(send(withVariables(item(number, "\"1\""), "")), message);
        assertRefused(send(withVariables("{}", ",\"expectedVersion\":" + number)), message);
        assertRefused(send(literal(literalItem(number, "\"1\""))), message);
        assertRefused(send("{\"query\":" + json("{ customerSessions(first: " + number + ") { edges { cursor } } }") + "}"), message);
    }

    /** A number whose text is gone (parsed from JSON or the document) is shown plain when that is short: -1e-7 as -0.0000001. */
    private static String plainIfShort(String number) {
        return number.equals("-1e-7") ? "-0.0000001" : number;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "1e400", "1E+400", "-1e400" })
    void decimalsOverTheDigitsAreQuotedAsWritten(String number) {
        String asString = "Decimal must have at most 30 digits before and after the point, got \"" + number + "\"";
        assertRefused(send(withVariables(item("1", "\"" + number + "\""), "")), asString);
        assertRefused(send(literal(literalItem("1", "\"" + number + "\""))), asString);
        String asNumber = "Decimal must have at most 30 digits before and after the point, got \"" + number.replace("E+", "e") + "\"";
        assertRefused(send(withVariables(item("1", number), "")), asNumber);
        assertRefused(send(literal(literalItem("1", number))), asNumber);
    }

    /** Business rules quote the number too: as sent in a string, in full in a JSON number or literal. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "\"100000000000000000000\"", "100000000000000000000" })
    void pricesOverTheLimitAreQuotedInFull(String price) {
        String message = "price must be less than 10^14, got \"100000000000000000000\"";
        JsonPath variables = send(withVariables(item("1", price), ""));
        assertEquals(List.of(message), variables.getList("data.updateCustomerSession.userErrors.message"), variables::prettify);
        JsonPath literal = send(literal(literalItem("1", price)));
        assertEquals(List.of(message), literal.getList("data.updateCustomerSession.userErrors.message"), literal::prettify);
        assertNull(shop.stored(id), "nothing stored");
    }

    /** 1.50 and -0 are prices like any other: 1.5 and 0. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "1.50", "-0" })
    void acceptedFormsAreServedCanonical(String price) {
        String canonical = price.equals("-0") ? "0" : "1.5";
        for (String body : List.of(withVariables(item("1", "\"" + price + "\""), ""), withVariables(item("1", price), ""),
                literal(literalItem("1", "\"" + price + "\"")), literal(literalItem("1", price)))) {
            JsonPath response = send(body);
            assertEquals(List.of(), response.getList("data.updateCustomerSession.userErrors"), response::prettify);
            assertAmount(canonical, response.getString("data.updateCustomerSession.customerSession.cartItems[0].price"));
        }
    }
}
