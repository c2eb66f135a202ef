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

    public static TestApplication create() {
        JsonPath response = post(MANAGEMENT, "createApplication",
                vars("input", Map.of("name", "Test shop " + UUID.randomUUID(), "currency", "EUR")));
        assertEquals(List.of(), response.getList("data.createApplication.userErrors"));
        return new TestApplication(GraphQLClient.id(response, "data.createApplication.application.id"),
                response.getString("data.createApplication.apiKey.key"));
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
