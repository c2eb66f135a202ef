package dev.customersessions.support;

import static dev.customersessions.support.GraphQLClient.MANAGEMENT;
import static dev.customersessions.support.GraphQLClient.post;
import static dev.customersessions.support.GraphQLClient.vars;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.restassured.path.json.JsonPath;

/**
 * An application of a test's own, made through the management API, with helpers to call the session API with its
 * key. Every test makes its own, so no test depends on another's data.
 */
public final class TestApplication {

    public final long id;
    public final String apiKey;

    private TestApplication(long id, String apiKey) {
        this.id = id;
        this.apiKey = apiKey;
    }

    /**
     * An application with the tests' common catalogue: session attributes city (STRING), giftWrap (BOOLEAN),
     * weightFactor (NUMBER), deliveryDate (TIME), tags (STRING_LIST), scores (NUMBER_LIST), a (STRING_LIST); cart item
     * attributes size (NUMBER), color and a (STRING); costs shipping, insurance, express (SESSION), handling (ITEM),
     * wrap (BOTH).
     */
    public static TestApplication create() {
        TestApplication app = createBare();
        app.defineAttributes(Map.of("city", "STRING", "giftWrap", "BOOLEAN", "weightFactor", "NUMBER", "deliveryDate", "TIME",
                "tags", "STRING_LIST"), "CUSTOMER_SESSION");
        app.defineAttributes(Map.of("scores", "NUMBER_LIST", "a", "STRING_LIST"), "CUSTOMER_SESSION");
        app.defineAttributes(Map.of("size", "NUMBER", "color", "STRING", "a", "STRING"), "CART_ITEM");
        app.defineCosts(Map.of("shipping", "SESSION", "insurance", "SESSION", "express", "SESSION", "handling", "ITEM", "wrap", "BOTH"));
        return app;
    }

    /** An application without definitions: it accepts no attributes and no additional costs. */
    public static TestApplication createBare() {
        JsonPath response = post(MANAGEMENT, "createApplication",
                vars("input", Map.of("name", "Test shop " + UUID.randomUUID(), "currency", "EUR")));
        assertEquals(List.of(), response.getList("data.createApplication.userErrors"));
        return new TestApplication(GraphQLClient.id(response, "data.createApplication.application.id"),
                response.getString("data.createApplication.apiKey.key"));
    }

    /** Defines attributes (name → type) of one entity, at most five per call; asserts that all were accepted. */
    public void defineAttributes(Map<String, String> types, String entity) {
        StringBuilder document = new StringBuilder("mutation($app: ID!) {");
        int i = 0;
        for (Map.Entry<String, String> type : types.entrySet()) {
            document.append(" d").append(i++).append(": defineAttribute(applicationId: $app, input: {entity: ").append(entity)
                    .append(", name: \"").append(type.getKey()).append("\", type: ").append(type.getValue()).append("}) { userErrors { message } }");
        }
        assertAccepted(GraphQLClient.postDocument(MANAGEMENT, document.append(" }").toString(), vars("app", String.valueOf(id))));
    }

    /** Defines additional costs (name → scope), at most five per call; asserts that all were accepted. */
    public void defineCosts(Map<String, String> scopes) {
        StringBuilder document = new StringBuilder("mutation($app: ID!) {");
        int i = 0;
        for (Map.Entry<String, String> scope : scopes.entrySet()) {
            document.append(" d").append(i++).append(": defineAdditionalCost(applicationId: $app, input: {name: \"").append(scope.getKey())
                    .append("\", title: \"").append(scope.getKey()).append("\", scope: ").append(scope.getValue()).append("}) { userErrors { message } }");
        }
        assertAccepted(GraphQLClient.postDocument(MANAGEMENT, document.append(" }").toString(), vars("app", String.valueOf(id))));
    }

    private static void assertAccepted(JsonPath response) {
        assertEquals((Object) null, response.get("errors"), response::prettify);
        Map<String, Map<String, List<?>>> data = response.getMap("data");
        data.values().forEach(payload -> assertEquals(List.of(), payload.get("userErrors"), response::prettify));
    }

    public String authorization() {
        return GraphQLClient.apiKey(apiKey);
    }

    /** Calls a session operation with this application's key. */
    public JsonPath call(String documentName, Map<String, ?> variables) {
        return post(authorization(), documentName, variables);
    }

    public JsonPath update(String integrationId, Map<String, ?> input) {
        return call("updateCustomerSession", vars("integrationId", integrationId, "input", input));
    }

    /** Updates and asserts that the update succeeded; returns the session as a map. */
    public Map<String, Object> updateOk(String integrationId, Map<String, ?> input) {
        JsonPath response = update(integrationId, input);
        assertEquals(List.of(), response.getList("data.updateCustomerSession.userErrors"), () -> response.prettify());
        return response.getMap("data.updateCustomerSession.customerSession");
    }

    /** The stored session as the API serves it, or null. */
    public Map<String, Object> stored(String integrationId) {
        return call("customerSession", vars("integrationId", integrationId)).getMap("data.customerSession");
    }
}
