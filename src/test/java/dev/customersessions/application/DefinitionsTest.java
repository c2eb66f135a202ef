package dev.customersessions.application;

import static dev.customersessions.support.GraphQLClient.MANAGEMENT;
import static dev.customersessions.support.GraphQLClient.assertAmount;
import static dev.customersessions.support.GraphQLClient.post;
import static dev.customersessions.support.GraphQLClient.vars;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.customersessions.support.TestApplication;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Attribute and additional cost definitions (spec section 2): defined by the management key, listed on the
 * application, and enforced on every session update with the path of the offending input. Every refusal leaves the
 * stored session as it was.
 */
@QuarkusTest
class DefinitionsTest {

    private static JsonPath defineAttribute(TestApplication app, String entity, String name, String type, String description) {
        return post(MANAGEMENT, "defineAttribute", vars("applicationId", String.valueOf(app.id),
                "input", vars("entity", entity, "name", name, "type", type, "description", description)));
    }

    private static JsonPath defineCost(TestApplication app, String name, String title, String scope) {
        return post(MANAGEMENT, "defineAdditionalCost", vars("applicationId", String.valueOf(app.id),
                "input", vars("name", name, "title", title, "scope", scope)));
    }

    @Test
    void definitionsAreListedOnTheApplication() {
        TestApplication app = TestApplication.createBare();
        JsonPath defined = defineAttribute(app, "CART_ITEM", "color", "STRING", "Colour of the item");
        assertEquals(List.of(), defined.getList("data.defineAttribute.userErrors"));
        assertEquals("color", defined.getString("data.defineAttribute.attributeDefinition.name"));
        defineAttribute(app, "CUSTOMER_SESSION", "channel", "STRING", null);
        defineAttribute(app, "CUSTOMER_SESSION", "basketScore", "NUMBER", null);
        defineCost(app, "shipping", "Shipping", "SESSION");
        defineCost(app, "giftWrap", "Gift wrap", "ITEM");

        Map<String, Object> application = app.call("application", Map.of()).getMap("data.application");
        assertEquals(false, application.get("cartItemFlattening"), "off by default");
        List<Map<String, Object>> attributes = (List<Map<String, Object>>) application.get("attributeDefinitions");
        assertEquals(List.of("CART_ITEM:color:STRING", "CUSTOMER_SESSION:basketScore:NUMBER", "CUSTOMER_SESSION:channel:STRING"),
                attributes.stream().map(a -> a.get("entity") + ":" + a.get("name") + ":" + a.get("type")).toList());
        assertEquals("Colour of the item", attributes.get(0).get("description"));
        List<Map<String, Object>> costs = (List<Map<String, Object>>) application.get("additionalCostDefinitions");
        assertEquals(List.of("giftWrap:Gift wrap:ITEM", "shipping:Shipping:SESSION"),
                costs.stream().map(c -> c.get("name") + ":" + c.get("title") + ":" + c.get("scope")).toList());

        // Another application sees none of them.
        Map<String, Object> other = TestApplication.createBare().call("application", Map.of()).getMap("data.application");
        assertEquals(List.of(), other.get("attributeDefinitions"));
        assertEquals(List.of(), other.get("additionalCostDefinitions"));
    }

    @Test
    void aDefinitionsNameAndTypeNeverChange() {
        TestApplication app = TestApplication.createBare();
        defineAttribute(app, "CUSTOMER_SESSION", "channel", "STRING", "first");
        JsonPath retyped = defineAttribute(app, "CUSTOMER_SESSION", "channel", "NUMBER", null);
        assertEquals("VALIDATION_FAILED", retyped.getString("data.defineAttribute.userErrors[0].code"));
        assertEquals(List.of("input", "type"), retyped.getList("data.defineAttribute.userErrors[0].field"));
        assertNull(retyped.get("data.defineAttribute.attributeDefinition"));

        JsonPath redescribed = defineAttribute(app, "CUSTOMER_SESSION", "channel", "STRING", "second");
        assertEquals(List.of(), redescribed.getList("data.defineAttribute.userErrors"));
        assertEquals("second", redescribed.getString("data.defineAttribute.attributeDefinition.description"));
        // The same name for the other entity is another attribute, with a type of its own.
        assertEquals(List.of(), defineAttribute(app, "CART_ITEM", "channel", "BOOLEAN", null).getList("data.defineAttribute.userErrors"));

        List<Map<String, Object>> stored = app.call("application", Map.of()).getList("data.application.attributeDefinitions");
        assertEquals(List.of("CART_ITEM:channel:BOOLEAN", "CUSTOMER_SESSION:channel:STRING"),
                stored.stream().map(a -> a.get("entity") + ":" + a.get("name") + ":" + a.get("type")).toList());

        JsonPath badName = defineAttribute(app, "CUSTOMER_SESSION", "1st-choice", "STRING", null);
        assertEquals("VALIDATION_FAILED", badName.getString("data.defineAttribute.userErrors[0].code"));
        assertEquals(List.of("input", "name"), badName.getList("data.defineAttribute.userErrors[0].field"));
    }

    @Test
    void aCostsScopeOnlyWidens() {
        TestApplication app = TestApplication.createBare();
        defineCost(app, "shipping", "Shipping", "SESSION");
        JsonPath narrowed = defineCost(app, "shipping", "Shipping", "ITEM");
        assertEquals("VALIDATION_FAILED", narrowed.getString("data.defineAdditionalCost.userErrors[0].code"));
        assertEquals(List.of("input", "scope"), narrowed.getList("data.defineAdditionalCost.userErrors[0].field"));
        JsonPath widened = defineCost(app, "shipping", "Delivery", "BOTH");
        assertEquals(List.of(), widened.getList("data.defineAdditionalCost.userErrors"));
        assertEquals("BOTH", widened.getString("data.defineAdditionalCost.additionalCostDefinition.scope"));
        assertEquals("Delivery", widened.getString("data.defineAdditionalCost.additionalCostDefinition.title"));
        JsonPath back = defineCost(app, "shipping", "Delivery", "SESSION");
        assertEquals("VALIDATION_FAILED", back.getString("data.defineAdditionalCost.userErrors[0].code"));
        assertEquals(List.of(Map.of("name", "shipping", "scope", "BOTH")), app.call("application", Map.of())
                .getList("data.application.additionalCostDefinitions").stream()
                .map(c -> Map.of("name", ((Map<?, ?>) c).get("name"), "scope", ((Map<?, ?>) c).get("scope"))).toList());
    }

    @Test
    void definingNeedsTheManagementKeyAndAnExistingApplication() {
        TestApplication app = TestApplication.createBare();
        JsonPath withApiKey = post(app.authorization(), "defineAttribute", vars("applicationId", String.valueOf(app.id),
                "input", vars("entity", "CART_ITEM", "name", "color", "type", "STRING")));
        assertEquals("UNAUTHENTICATED", withApiKey.getString("errors[0].extensions.code"));
        assertEquals(List.of(), app.call("application", Map.of()).getList("data.application.attributeDefinitions"));

        JsonPath missing = post(MANAGEMENT, "defineAdditionalCost", vars("applicationId", "999999999",
                "input", vars("name", "shipping", "title", "Shipping", "scope", "SESSION")));
        assertEquals("NOT_FOUND", missing.getString("data.defineAdditionalCost.userErrors[0].code"));
        assertEquals(List.of("applicationId"), missing.getList("data.defineAdditionalCost.userErrors[0].field"));
    }

    @Test
    void anApplicationDefinesAtMostOneHundredCosts() {
        TestApplication app = TestApplication.createBare();
        for (int batch = 0; batch < 20; batch++) {
            Map<String, String> scopes = new java.util.HashMap<>();
            for (int i = 0; i < 5; i++) {
                scopes.put("cost" + (batch * 5 + i), "BOTH");
            }
            app.defineCosts(scopes);
        }
        JsonPath oneMore = defineCost(app, "cost100", "One too many", "BOTH");
        assertEquals("LIMIT_EXCEEDED", oneMore.getString("data.defineAdditionalCost.userErrors[0].code"));
        assertEquals(100, app.call("application", Map.of()).getList("data.application.additionalCostDefinitions").size());
        // Redefining one of the hundred is still allowed.
        assertEquals(List.of(), defineCost(app, "cost7", "Seven", "BOTH").getList("data.defineAdditionalCost.userErrors"));
    }

    @Test
    void anApplicationDefinesAtMostFiveHundredAttributes() {
        TestApplication app = TestApplication.createBare();
        for (int batch = 0; batch < 100; batch++) {
            Map<String, String> types = new java.util.HashMap<>();
            for (int i = 0; i < 5; i++) {
                types.put("attribute" + (batch * 5 + i), "STRING");
            }
            app.defineAttributes(types, batch % 2 == 0 ? "CUSTOMER_SESSION" : "CART_ITEM");
        }
        JsonPath oneMore = defineAttribute(app, "CART_ITEM", "attribute500", "STRING", null);
        assertEquals("LIMIT_EXCEEDED", oneMore.getString("data.defineAttribute.userErrors[0].code"));
        assertEquals(500, app.call("application", Map.of()).getList("data.application.attributeDefinitions").size());
        assertEquals(List.of(), defineAttribute(app, "CUSTOMER_SESSION", "attribute0", "STRING", "still describable")
                .getList("data.defineAttribute.userErrors"));
    }

    @Test
    void sessionAttributesMustBeDefinedWithTheirType() {
        TestApplication app = TestApplication.createBare();
        defineAttribute(app, "CUSTOMER_SESSION", "channel", "STRING", null);
        defineAttribute(app, "CUSTOMER_SESSION", "basketScore", "NUMBER", null);
        defineAttribute(app, "CUSTOMER_SESSION", "deliveryDate", "TIME", null);
        defineAttribute(app, "CART_ITEM", "color", "STRING", null);
        Map<String, Object> before = app.updateOk("s1", Map.of("attributes", List.of(Map.of("name", "channel", "stringValue", "web"))));

        JsonPath unknown = app.update("s1", Map.of("attributes", List.of(Map.of("name", "channel", "stringValue", "app"),
                Map.of("name", "color", "stringValue", "red"))));
        assertEquals("UNKNOWN_ATTRIBUTE", unknown.getString("data.updateCustomerSession.userErrors[0].code"));
        assertEquals(List.of("input", "attributes", "1", "name"), unknown.getList("data.updateCustomerSession.userErrors[0].field"));
        assertEquals("attribute \"color\" is not defined for customer sessions (defineAttribute)",
                unknown.getString("data.updateCustomerSession.userErrors[0].message"));
        assertEquals(before, app.stored("s1"), "a refusal changes nothing");

        JsonPath wrongType = app.update("s1", Map.of("attributes", List.of(Map.of("name", "basketScore", "stringValue", "high"))));
        assertEquals("INVALID_ATTRIBUTE_TYPE", wrongType.getString("data.updateCustomerSession.userErrors[0].code"));
        assertEquals(List.of("input", "attributes", "0", "stringValue"), wrongType.getList("data.updateCustomerSession.userErrors[0].field"));
        assertEquals(before, app.stored("s1"));

        // Defined names with values of their type: numbers exact, times in UTC.
        Map<String, Object> updated = app.updateOk("s1", Map.of("attributes", List.of(
                Map.of("name", "basketScore", "numberValue", "123456789012345678901234567890.000000000000000000000000000001"),
                Map.of("name", "deliveryDate", "timeValue", "2026-12-24T10:00:00+01:00"))));
        List<Map<String, Object>> attributes = (List<Map<String, Object>>) updated.get("attributes");
        assertEquals("123456789012345678901234567890.000000000000000000000000000001", attributes.get(0).get("numberValue"));
        assertEquals("2026-12-24T09:00:00Z", attributes.get(1).get("timeValue"));
        assertEquals(updated, app.stored("s1"));
    }

    @Test
    void cartItemAttributesMustBeDefinedForCartItems() {
        TestApplication app = TestApplication.createBare();
        defineAttribute(app, "CUSTOMER_SESSION", "Colour", "STRING", null);
        defineAttribute(app, "CART_ITEM", "size", "NUMBER", null);
        JsonPath refused = app.update("s1", Map.of("cartItems", List.of(
                vars("sku", "A", "quantity", 1, "price", "1", "attributes", List.of(Map.of("name", "size", "numberValue", "42"))),
                vars("sku", "B", "quantity", 1, "price", "2", "attributes", List.of(Map.of("name", "size", "booleanValue", true),
                        Map.of("name", "Colour", "stringValue", "red"))))));
        List<Map<String, Object>> errors = refused.getList("data.updateCustomerSession.userErrors");
        assertEquals(List.of(
                Map.of("code", "INVALID_ATTRIBUTE_TYPE", "field", List.of("input", "cartItems", "1", "attributes", "0", "booleanValue")),
                Map.of("code", "UNKNOWN_ATTRIBUTE", "field", List.of("input", "cartItems", "1", "attributes", "1", "name"))),
                errors.stream().map(e -> Map.of("code", e.get("code"), "field", e.get("field"))).toList());
        assertEquals("attribute \"Colour\" is not defined for cart items (defineAttribute)", errors.get(1).get("message"));
        assertNull(app.stored("s1"), "a refused creation stores nothing");
    }

    @Test
    void costsMustBeDefinedForTheirScope() {
        TestApplication app = TestApplication.createBare();
        defineCost(app, "shipping", "Shipping", "SESSION");
        defineCost(app, "giftWrap", "Gift wrap", "ITEM");
        defineCost(app, "handling", "Handling", "BOTH");
        Map<String, Object> before = app.updateOk("s1", Map.of("additionalCosts", List.of(Map.of("name", "shipping", "price", "4.99"))));

        JsonPath refused = app.update("s1", Map.of(
                "additionalCosts", List.of(Map.of("name", "handling", "price", "1"), Map.of("name", "giftWrap", "price", "2"),
                        Map.of("name", "insurance", "price", "3")),
                "cartItems", List.of(vars("sku", "A", "quantity", 1, "price", "1",
                        "additionalCosts", List.of(Map.of("name", "shipping", "price", "1"), Map.of("name", "handling", "price", "1"))))));
        List<Map<String, Object>> errors = refused.getList("data.updateCustomerSession.userErrors");
        assertEquals(List.of(
                List.of("input", "cartItems", "0", "additionalCosts", "0", "name"),
                List.of("input", "additionalCosts", "1", "name"),
                List.of("input", "additionalCosts", "2", "name")),
                errors.stream().map(e -> e.get("field")).toList(), refused::prettify);
        errors.forEach(e -> assertEquals("UNKNOWN_ADDITIONAL_COST", e.get("code")));
        assertEquals(before, app.stored("s1"));

        // Within their scopes: session costs once, item costs once per unit.
        Map<String, Object> accepted = app.updateOk("s1", Map.of(
                "additionalCosts", List.of(Map.of("name", "shipping", "price", "4.99"), Map.of("name", "handling", "price", "1.01")),
                "cartItems", List.of(vars("sku", "A", "quantity", 3, "price", "10.10",
                        "additionalCosts", List.of(Map.of("name", "giftWrap", "price", "0.333333"), Map.of("name", "handling", "price", "0.5"))))));
        assertAmount("30.3", accepted.get("cartItemTotal"));
        assertAmount("2.499999", accepted.get("cartItemAdditionalCostTotal"));
        assertAmount("6", accepted.get("additionalCostTotal"));
        assertAmount("38.799999", accepted.get("total"));
        assertEquals(accepted, app.stored("s1"));
    }
}
