package dev.customersessions.auth;

import static dev.customersessions.support.GraphQLClient.MANAGEMENT;
import static dev.customersessions.support.GraphQLClient.apiKey;
import static dev.customersessions.support.GraphQLClient.post;
import static dev.customersessions.support.GraphQLClient.vars;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.customersessions.support.GraphQLClient;
import dev.customersessions.support.TestApplication;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** Credentials and tenancy: no valid key, no access; one application's key never reaches another's sessions. */
@QuarkusTest
class AuthenticationTest {

    private static void assertUnauthenticated(JsonPath response) {
        assertEquals("UNAUTHENTICATED", response.getString("errors[0].extensions.code"), response::prettify);
        assertNull(response.get("errors[0].extensions.exception"), "no class names reach clients");
        assertFalse(response.prettify().contains("dev.customersessions"), "no internals reach clients");
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "ApiKey-v1 ", "ApiKey-v1 not-a-key", "Bearer something", "ManagementKey-v1 test-management-key"})
    void sessionOperationsNeedAValidApiKey(String authorization) {
        String id = "session-" + UUID.randomUUID();
        assertUnauthenticated(post(authorization, "updateCustomerSession", vars("integrationId", id, "input", Map.of())));
        assertUnauthenticated(post(authorization, "customerSession", vars("integrationId", id)));
        assertUnauthenticated(post(authorization, "customerSessions", vars()));
        assertUnauthenticated(post(authorization, "closeCustomerSession", vars("integrationId", id)));
        assertUnauthenticated(post(authorization, "cancelCustomerSession", vars("integrationId", id)));
        assertUnauthenticated(post(authorization, "application", vars()));
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"ManagementKey-v1 wrong", "ManagementKey-v1 ", "ApiKey-v1 test-management-key"})
    void managementNeedsTheManagementKey(String authorization) {
        assertUnauthenticated(post(authorization, "createApplication", vars("input", Map.of("name", "x", "currency", "EUR"))));
        assertUnauthenticated(post(authorization, "updateApplication", vars("id", 1, "input", Map.of("name", "x"))));
        assertUnauthenticated(post(authorization, "createApiKey", vars("applicationId", 1)));
        assertUnauthenticated(post(authorization, "revokeApiKey", vars("id", 1)));
        assertUnauthenticated(post(authorization, "applications", vars()));
        assertUnauthenticated(post(authorization, "apiKeys", vars("applicationId", 1)));
    }

    @Test
    void anApiKeyCannotManage() {
        TestApplication shop = TestApplication.create();
        assertUnauthenticated(post(shop.authorization(), "createApiKey", vars("applicationId", shop.id)));
        assertUnauthenticated(post(shop.authorization(), "apiKeys", vars("applicationId", shop.id)));
        assertUnauthenticated(post(shop.authorization(), "applications", vars()));
    }

    @Test
    void aRevokedKeyStopsWorkingAndOtherKeysGoOn() {
        TestApplication shop = TestApplication.create();
        JsonPath second = post(MANAGEMENT, "createApiKey", vars("applicationId", shop.id));
        String secondKey = second.getString("data.createApiKey.apiKey.key");
        shop.updateOk("s-1", Map.of());

        JsonPath revoked = post(MANAGEMENT, "revokeApiKey", vars("id", GraphQLClient.id(second, "data.createApiKey.apiKey.id")));
        assertFalse(revoked.getString("data.revokeApiKey.apiKey.revoked").isEmpty());
        assertNull(revoked.get("data.revokeApiKey.apiKey.key"), "the plain key is never shown again");

        assertUnauthenticated(post(apiKey(secondKey), "customerSession", vars("integrationId", "s-1")));
        assertEquals("s-1", shop.stored("s-1").get("integrationId"));
    }

    @Test
    void oneApplicationCannotReadChangeOrDetectAnothersSessions() {
        TestApplication mine = TestApplication.create();
        TestApplication theirs = TestApplication.create();
        String id = "shared-id-" + UUID.randomUUID();
        Map<String, Object> their = theirs.updateOk(id, Map.of("couponCodes", List.of("THEIRS"),
                "cartItems", List.of(vars("sku", "A", "quantity", 1, "price", "10"))));

        assertNull(mine.stored(id), "not readable");
        JsonPath listing = mine.call("customerSessions", vars("filter", Map.of("couponCode", "THEIRS")));
        assertEquals(List.of(), listing.getList("data.customerSessions.edges"), "not listed");
        for (String operation : List.of("closeCustomerSession", "cancelCustomerSession")) {
            assertEquals("NOT_FOUND", mine.call(operation, vars("integrationId", id)).getString("data." + operation + ".userErrors[0].code"),
                    "answered exactly as for a session that does not exist");
        }
        JsonPath versioned = mine.call("updateCustomerSession", vars("integrationId", id, "input", Map.of(), "expectedVersion", 1));
        assertEquals("expectedVersion is 1 but no session with this integrationId exists (current version: 0)",
                versioned.getString("data.updateCustomerSession.userErrors[0].message"), "the conflict reveals nothing of theirs");

        // The same integration id in my application is my own session.
        Map<String, Object> own = mine.updateOk(id, Map.of("couponCodes", List.of("MINE")));
        assertEquals(List.of("MINE"), own.get("couponCodes"));
        assertEquals(true, own.get("firstSession"));
        assertEquals(their, theirs.stored(id), "theirs is untouched");
        assertEquals(mine.id, GraphQLClient.id(mine.call("application", vars()), "data.application.id"));
    }
}
