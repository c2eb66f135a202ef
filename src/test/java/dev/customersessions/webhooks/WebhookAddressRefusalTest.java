package dev.customersessions.webhooks;

import static dev.customersessions.support.GraphQLClient.MANAGEMENT;
import static dev.customersessions.support.GraphQLClient.post;
import static dev.customersessions.support.GraphQLClient.vars;
import static dev.customersessions.support.WebhookReceiver.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.customersessions.support.TestApplication;
import dev.customersessions.support.WebhookReceiver;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * With the default settings, webhooks never reach the service's own network: an endpoint whose host resolves to a
 * loopback, private, link-local or otherwise internal address is refused when it is created or updated, and a delivery
 * whose host resolves to one by the time it is attempted (DNS rebinding) is not sent. Malformed URLs and kinds are
 * refused too, and nothing of a refusal is stored.
 */
@QuarkusTest
class WebhookAddressRefusalTest {

    @Inject
    AgroalDataSource dataSource;

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1/", "http://localhost:8080/hooks", "http://169.254.169.254/latest/meta-data/",
            "http://[::1]/", "https://10.1.2.3/hooks", "http://192.168.0.10:9000/", "http://[fe80::1]/", "http://0.0.0.0/",
            "http://100.64.1.1/", "http://[::ffff:127.0.0.1]/", "http://192.0.0.170/", "http://[64:ff9b:1::a00:1]/",
            "http://[2001::1]/", "http://[2002:a9fe:a9fe::1]/"})
    void anInternalAddressIsRefusedAtCreationAndNothingIsStored(String url) {
        TestApplication shop = TestApplication.createBare();
        JsonPath refused = post(shop.authorization(), "createWebhookEndpoint", vars("input", vars("url", url)));
        assertEquals("VALIDATION_FAILED", refused.getString("data.createWebhookEndpoint.userErrors[0].code"), refused::prettify);
        assertEquals(List.of("input", "url"), refused.getList("data.createWebhookEndpoint.userErrors[0].field"));
        assertTrue(refused.getString("data.createWebhookEndpoint.userErrors[0].message").contains("which webhooks may not reach"));
        assertNull(refused.get("data.createWebhookEndpoint.webhookEndpoint"));
        assertEquals(List.of(), endpoints(shop));
    }

    @Test
    void malformedUrlsAndUnknownKindsAreRefused() {
        TestApplication shop = TestApplication.createBare();
        for (String url : List.of("ftp://shop.example.com/", "https://user:pw@203.0.113.7/", "https://203.0.113.7/" + "a".repeat(2000),
                "203.0.113.7/hooks", "")) {
            JsonPath refused = post(shop.authorization(), "createWebhookEndpoint", vars("input", vars("url", url)));
            assertEquals("VALIDATION_FAILED", refused.getString("data.createWebhookEndpoint.userErrors[0].code"), url);
            assertEquals(List.of("input", "url"), refused.getList("data.createWebhookEndpoint.userErrors[0].field"), url);
        }
        JsonPath noUrl = post(shop.authorization(), "createWebhookEndpoint", vars("input", vars("enabled", true)));
        assertEquals("url must not be empty", noUrl.getString("data.createWebhookEndpoint.userErrors[0].message"));
        JsonPath unknownKind = post(shop.authorization(), "createWebhookEndpoint",
                vars("input", vars("url", "https://203.0.113.7/", "eventKinds", List.of("SHIPPED"))));
        assertEquals("BAD_REQUEST", unknownKind.getString("errors[0].extensions.code"), "a kind outside the enum: no request that runs");
        assertNull(unknownKind.get("data.createWebhookEndpoint"));
        assertEquals(List.of(), endpoints(shop), "nothing stored");
    }

    @Test
    void anUpdateToAnInternalAddressIsRefusedAndTheEndpointStaysAsItWas() {
        TestApplication shop = TestApplication.createBare();
        JsonPath created = post(shop.authorization(), "createWebhookEndpoint", vars("input", vars("url", "https://203.0.113.7/hooks")));
        assertEquals(List.of(), created.getList("data.createWebhookEndpoint.userErrors"), created::prettify);
        String id = created.getString("data.createWebhookEndpoint.webhookEndpoint.id");
        JsonPath refused = post(shop.authorization(), "updateWebhookEndpoint", vars("id", id,
                "input", vars("url", "http://169.254.169.254/", "enabled", false)));
        assertEquals("VALIDATION_FAILED", refused.getString("data.updateWebhookEndpoint.userErrors[0].code"));
        List<Map<String, Object>> stored = endpoints(shop);
        assertEquals("https://203.0.113.7/hooks", stored.get(0).get("url"));
        assertEquals(true, stored.get(0).get("enabled"), "nothing of the refused update is stored");
    }

    /**
     * An endpoint's host that resolves to a loopback address by the time of the delivery (its URL is changed under the
     * service here, as a DNS answer would change): the delivery is not sent, and the log says why.
     */
    @Test
    void aDeliveryToAHostThatNowResolvesToAnInternalAddressIsNotSent() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            TestApplication shop = TestApplication.createBare();
            JsonPath created = post(shop.authorization(), "createWebhookEndpoint", vars("input", vars("url", "https://203.0.113.7/hooks")));
            String id = created.getString("data.createWebhookEndpoint.webhookEndpoint.id");
            try (Connection connection = dataSource.getConnection();
                    PreparedStatement rebind = connection.prepareStatement("update webhook_endpoint set url = ? where id = ?")) {
                rebind.setString(1, receiver.url("/internal"));
                rebind.setLong(2, Long.parseLong(id));
                assertEquals(1, rebind.executeUpdate());
            }
            shop.updateOk("rebound", Map.of());
            Map<String, Object>[] delivery = new Map[1];
            eventually(Duration.ofSeconds(20), () -> {
                List<Map<String, Object>> log = post(shop.authorization(), "webhookDeliveries", vars("endpointId", id)).getList("data.webhookDeliveries.nodes");
                delivery[0] = log.isEmpty() ? null : log.get(0);
                return delivery[0] != null && delivery[0].get("lastError") != null;
            }, () -> "an attempt: " + delivery[0]);
            assertTrue(((String) delivery[0].get("lastError")).contains("127.0.0.1, a loopback address"), delivery[0]::toString);
            assertNull(delivery[0].get("lastStatusCode"));
            assertEquals("PENDING", delivery[0].get("status"), "to be tried again later");
            assertNotNull(delivery[0].get("nextAttempt"));
            assertEquals(List.of(), receiver.requests("/internal"), "nothing reached the internal address");
        }
    }

    private static List<Map<String, Object>> endpoints(TestApplication shop) {
        return post(MANAGEMENT, "webhookEndpoints", vars("applicationId", String.valueOf(shop.id))).getList("data.webhookEndpoints.nodes");
    }
}
