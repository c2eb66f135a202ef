package dev.customersessions.application;

import static dev.customersessions.support.GraphQLClient.MANAGEMENT;
import static dev.customersessions.support.GraphQLClient.post;
import static dev.customersessions.support.GraphQLClient.vars;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.customersessions.support.GraphQLClient;
import dev.customersessions.support.TestApplication;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** Creating and changing applications and their API keys with the management key. */
@QuarkusTest
class ApplicationManagementTest {

    @Test
    void createsAnApplicationWithAKeyThatWorks() {
        JsonPath created = post(MANAGEMENT, "createApplication", vars("input", Map.of("name", "Shoe shop", "currency", "usd")));
        assertEquals(List.of(), created.getList("data.createApplication.userErrors"));
        assertEquals("Shoe shop", created.getString("data.createApplication.application.name"));
        assertEquals("USD", created.getString("data.createApplication.application.currency"));
        String key = created.getString("data.createApplication.apiKey.key");
        assertTrue(key.startsWith(created.getString("data.createApplication.apiKey.prefix")));
        assertNull(created.get("data.createApplication.apiKey.revoked"));

        JsonPath application = post("ApiKey-v1 " + key, "application", vars());
        assertEquals(GraphQLClient.id(created, "data.createApplication.application.id"), GraphQLClient.id(application, "data.application.id"));
        assertEquals("Shoe shop", application.getString("data.application.name"));
        assertEquals(false, application.getBoolean("data.application.cartItemFlattening"));
    }

    @Test
    void createsAnApplicationWithCartItemFlatteningWhenAskedFor() {
        JsonPath created = post(MANAGEMENT, "createApplication",
                vars("input", Map.of("name", "Sock shop", "currency", "EUR", "cartItemFlattening", true)));
        assertEquals(List.of(), created.getList("data.createApplication.userErrors"));
        assertEquals(true, created.getBoolean("data.createApplication.application.cartItemFlattening"));
        JsonPath stored = post("ApiKey-v1 " + created.getString("data.createApplication.apiKey.key"), "application", vars());
        assertEquals(true, stored.getBoolean("data.application.cartItemFlattening"));
    }

    @Test
    void refusesBadApplicationsAndCreatesNothing() {
        JsonPath refused = post(MANAGEMENT, "createApplication", vars("input", Map.of("name", "", "currency", "EURO")));
        assertEquals(List.of("VALIDATION_FAILED", "VALIDATION_FAILED"), refused.getList("data.createApplication.userErrors.code"));
        assertEquals(List.of(List.of("input", "name"), List.of("input", "currency")), refused.getList("data.createApplication.userErrors.field"));
        assertNull(refused.get("data.createApplication.application"));
        assertNull(refused.get("data.createApplication.apiKey"));
        JsonPath unknownCurrency = post(MANAGEMENT, "createApplication", vars("input", Map.of("name", "x", "currency", "XYZ")));
        assertEquals(List.of("input", "currency"), unknownCurrency.getList("data.createApplication.userErrors[0].field"));
    }

    @Test
    void updatesOnlyWhatIsSent() {
        TestApplication shop = TestApplication.create();
        JsonPath renamed = post(MANAGEMENT, "updateApplication", vars("id", shop.id, "input", Map.of("name", "Renamed")));
        assertEquals("Renamed", renamed.getString("data.updateApplication.application.name"));
        assertEquals("EUR", renamed.getString("data.updateApplication.application.currency"));
        JsonPath recurrenced = post(MANAGEMENT, "updateApplication", vars("id", shop.id, "input", Map.of("currency", "GBP")));
        assertEquals("Renamed", recurrenced.getString("data.updateApplication.application.name"));
        assertEquals("GBP", recurrenced.getString("data.updateApplication.application.currency"));

        JsonPath refused = post(MANAGEMENT, "updateApplication", vars("id", shop.id, "input", Map.of("name", "n".repeat(201))));
        assertEquals("VALIDATION_FAILED", refused.getString("data.updateApplication.userErrors[0].code"));
        assertEquals("Renamed", post(shop.authorization(), "application", vars()).getString("data.application.name"));

        JsonPath missing = post(MANAGEMENT, "updateApplication", vars("id", Long.MAX_VALUE, "input", Map.of("name", "x")));
        assertEquals("NOT_FOUND", missing.getString("data.updateApplication.userErrors[0].code"));
    }

    @Test
    void issuesAndRevokesKeys() {
        TestApplication shop = TestApplication.create();
        JsonPath second = post(MANAGEMENT, "createApiKey", vars("applicationId", shop.id));
        String key = second.getString("data.createApiKey.apiKey.key");
        assertNotEquals(shop.apiKey, key);
        assertEquals(shop.id, GraphQLClient.id(second, "data.createApiKey.apiKey.applicationId"));
        assertEquals(shop.id, GraphQLClient.id(post("ApiKey-v1 " + key, "application", vars()), "data.application.id"));

        long keyId = GraphQLClient.id(second, "data.createApiKey.apiKey.id");
        JsonPath revoked = post(MANAGEMENT, "revokeApiKey", vars("id", keyId));
        String revokedAt = revoked.getString("data.revokeApiKey.apiKey.revoked");
        JsonPath again = post(MANAGEMENT, "revokeApiKey", vars("id", keyId));
        assertEquals(revokedAt, again.getString("data.revokeApiKey.apiKey.revoked"), "revoking again changes nothing");

        assertEquals("NOT_FOUND", post(MANAGEMENT, "createApiKey", vars("applicationId", Long.MAX_VALUE)).getString("data.createApiKey.userErrors[0].code"));
        assertEquals("NOT_FOUND", post(MANAGEMENT, "revokeApiKey", vars("id", Long.MAX_VALUE)).getString("data.revokeApiKey.userErrors[0].code"));
    }

    @Test
    void listsApplicationsPageByPage() {
        TestApplication shop = TestApplication.create();
        List<Long> ids = new ArrayList<>();
        String after = null;
        for (int page = 0; page < 1000; page++) {
            JsonPath response = post(MANAGEMENT, "applications", vars("first", 7, "after", after));
            List<Object> pageIds = response.getList("data.applications.nodes.id");
            pageIds.forEach(id -> ids.add(GraphQLClient.id(id)));
            if (!response.getBoolean("data.applications.pageInfo.hasNextPage")) {
                break;
            }
            after = response.getString("data.applications.pageInfo.endCursor");
        }
        assertEquals(ids.stream().sorted().distinct().toList(), ids, "ascending, no duplicates");
        assertTrue(ids.contains(shop.id));
    }

    @Test
    void listsAnApplicationsKeysWithoutTheirValues() {
        TestApplication shop = TestApplication.create();
        post(MANAGEMENT, "createApiKey", vars("applicationId", shop.id));
        long third = GraphQLClient.id(post(MANAGEMENT, "createApiKey", vars("applicationId", shop.id)), "data.createApiKey.apiKey.id");
        post(MANAGEMENT, "revokeApiKey", vars("id", third));

        JsonPath first = post(MANAGEMENT, "apiKeys", vars("applicationId", shop.id, "first", 2));
        assertEquals(2, first.getList("data.apiKeys.nodes").size());
        assertTrue(first.getBoolean("data.apiKeys.pageInfo.hasNextPage"));
        JsonPath second = post(MANAGEMENT, "apiKeys", vars("applicationId", shop.id, "first", 2,
                "after", first.getString("data.apiKeys.pageInfo.endCursor")));
        assertEquals(List.of(third), second.getList("data.apiKeys.nodes.id", Long.class));
        assertTrue(second.getString("data.apiKeys.nodes[0].revoked") != null, "revoked keys are listed as revoked");
        assertEquals(false, second.getBoolean("data.apiKeys.pageInfo.hasNextPage"));
        assertEquals(Arrays.asList(null, null), first.getList("data.apiKeys.nodes.key"), "plain keys are never listed");
        assertEquals(List.of(), post(MANAGEMENT, "apiKeys", vars("applicationId", Long.MAX_VALUE)).getList("data.apiKeys.nodes"));
    }
}
