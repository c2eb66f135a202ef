package dev.customersessions.engine;

import static dev.customersessions.support.GraphQLClient.vars;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.customersessions.support.GraphQLClient;
import dev.customersessions.support.TestApplication;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * One error model for malformed input, literal or in variables, at any depth: every problem at once, each naming
 * its path and what is wrong, never a Java class or a library's internal tree; nothing is stored.
 */
@QuarkusTest
class ErrorModelTest {

    /** Five problems at different depths of one variable: five errors, each with its path in extensions.field. */
    @Test
    void everyBadVariableValueIsReportedWithItsPath() {
        TestApplication shop = TestApplication.create();
        Map<String, Object> input = vars(
                "state", "bogus",
                "colour", "red",
                "attributes", List.of(Map.of("name", "deliveryDate", "timeValue", "soon")),
                "cartItems", List.of(
                        vars("sku", "A", "quantity", 1, "price", "cheap"),
                        vars("sku", "B", "quantity", 1, "price", "2"),
                        vars("sku", "C", "quantity", 1.5, "price", "3")));
        JsonPath response = shop.update("bad-variables", input);
        List<List<String>> fields = response.getList("errors.extensions.field");
        assertEquals(5, fields.size(), response::prettify);
        assertTrue(fields.contains(List.of("input", "attributes", "0", "timeValue")), response::prettify);
        assertTrue(fields.contains(List.of("input", "state")), response::prettify);
        assertTrue(fields.contains(List.of("input", "colour")), response::prettify);
        assertTrue(fields.contains(List.of("input", "cartItems", "0", "price")), response::prettify);
        assertTrue(fields.contains(List.of("input", "cartItems", "2", "quantity")), response::prettify);
        for (Map<String, Object> error : response.<Map<String, Object>>getList("errors")) {
            String message = (String) error.get("message");
            assertEquals("BAD_REQUEST", ((Map<?, ?>) error.get("extensions")).get("code"));
            assertTrue(message.startsWith("Variable input."), message);
            assertFalse(message.contains("dev.customersessions") || message.contains("Exception"), message);
        }
        assertTrue(response.getString("errors.find { it.extensions.field[1] == 'state' }.message").contains("must be one of [cancelled, closed, merged, open, partially_returned]"),
                response::prettify);
        assertNull(response.get("data"), response::prettify);
        assertNull(shop.stored("bad-variables"));
    }

    /** Business rules report every problem at once too: a malformed attribute hides nothing else. */
    @Test
    void aMalformedAttributeHidesNoOtherProblem() {
        TestApplication shop = TestApplication.create();
        JsonPath response = shop.update("many", Map.of("profileId", "p".repeat(1001),
                "attributes", List.of(Map.of("name", "a", "stringValue", "x", "booleanValue", true)),
                "cartItems", List.of(vars("sku", "", "quantity", 1, "price", "1"))));
        List<List<String>> fields = response.getList("data.updateCustomerSession.userErrors.field");
        assertEquals(List.of(List.of("input", "attributes", "0"), List.of("input", "profileId"), List.of("input", "cartItems", "0", "sku")),
                fields, response::prettify);
        assertNull(shop.stored("many"));
    }

    @Test
    void aMissingRequiredValueIsNamed() {
        TestApplication shop = TestApplication.create();
        JsonPath response = shop.update("missing", Map.of("cartItems", List.of(vars("quantity", 1, "price", "1"))));
        assertEquals(List.of("input", "cartItems", "0", "sku"), response.getList("errors[0].extensions.field"), response::prettify);
        assertTrue(response.getString("errors[0].message").contains("is required"), response::prettify);
    }

    /** Written as a literal, the same mistake names the argument path, without graphql-java's dump of the value. */
    @Test
    void literalErrorsNameThePathWithoutDumpingTheValue() {
        TestApplication shop = TestApplication.create();
        JsonPath response = GraphQLClient.postDocument(shop.authorization(),
                "mutation { updateCustomerSession(integrationId: \"lit\", input: { cartItems: [{ quantity: 1, price: \"1\" }] }) "
                        + "{ userErrors { code } } }", null);
        String message = response.getString("errors[0].message");
        assertEquals("BAD_REQUEST", response.getString("errors[0].extensions.code"), response::prettify);
        assertTrue(message.contains("input.cartItems[0]") && message.contains("missing required fields"), message);
        assertFalse(message.contains("ObjectValue") || message.contains("with value"), message);
        assertNull(shop.stored("lit"));
    }
}
