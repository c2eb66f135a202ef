package dev.customersessions.webhooks;

import static dev.customersessions.support.GraphQLClient.MANAGEMENT;
import static dev.customersessions.support.GraphQLClient.post;
import static dev.customersessions.support.GraphQLClient.vars;
import static dev.customersessions.support.WebhookReceiver.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.customersessions.support.ExternalTools;
import dev.customersessions.support.GraphQLClient;
import dev.customersessions.support.TestApplication;
import dev.customersessions.support.WebhookReceiver;
import dev.customersessions.support.WebhookReceiver.Received;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * Webhooks end to end, against a receiver on 127.0.0.1 (so private addresses are allowed in this profile, and retries
 * wait milliseconds): signed deliveries of a session's changes, in order; retries; failure after the last attempt and
 * the session's later deliveries going on; redelivery under the same id; the delivery log; the management of endpoints.
 */
@QuarkusTest
@TestProfile(WebhooksTest.LocalReceiver.class)
class WebhooksTest {

    /** Deliveries may reach 127.0.0.1, every 50 ms, three attempts 200 ms and 400 ms apart. */
    public static class LocalReceiver implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("customer-sessions.webhooks.allow-private-addresses", "true",
                    "customer-sessions.webhooks.fan-out-interval", "50MS",
                    "customer-sessions.webhooks.delivery-interval", "50MS",
                    "customer-sessions.webhooks.max-attempts", "3",
                    "customer-sessions.webhooks.backoff-base", "200MS",
                    "customer-sessions.webhooks.backoff-max", "1S",
                    "customer-sessions.webhooks.timeout", "3S",
                    "customer-sessions.webhooks.connect-timeout", "1S");
        }
    }

    private static WebhookReceiver receiver;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    MeterRegistry metrics;

    @BeforeAll
    static void startReceiver() throws Exception {
        receiver = new WebhookReceiver();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.close();
    }

    record Endpoint(String id, String secret, String path) {
    }

    @Inject
    WebhookSender sender;

    @Test
    void theDnsLookupCountsInTheAttemptsTimeoutSoThatAnAttemptNeverOutlastsItsLease() {
        // A system resolver can take longer than an attempt may (its lease is the timeout, 3 s here, and 5 s): the
        // attempt gives up on the lookup at its timeout, and what the lookup took is taken from the request's time.
        WebhookSender attempts = io.quarkus.arc.ClientProxy.unwrap(sender);
        WebhookSender.Lookup system = attempts.lookup;
        try {
            attempts.lookup = (host, allowPrivate) -> {
                Thread.sleep(20_000);
                return system.addresses(host, allowPrivate);
            };
            long start = System.nanoTime();
            WebhookSender.Result hung = attempts.send(receiver.url("/slow-dns"), "dns-1", "{}", List.of(WebhookSignature.newSecret()));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(took.compareTo(Duration.ofMillis(3500)) < 0, "the attempt took " + took);
            assertEquals(new WebhookSender.Result(null, "no address for the host 127.0.0.1 within 3 s (DNS lookup)"), hung);
            assertEquals(List.of(), receiver.requests("/slow-dns"), "nothing sent");

            // A lookup of 2 s leaves the request 1 s: an answer that takes 2 s more is too late, the attempt ends at 3 s.
            attempts.lookup = (host, allowPrivate) -> {
                Thread.sleep(2000);
                return system.addresses(host, allowPrivate);
            };
            receiver.answer("/slow-dns-and-answer", () -> {
                try {
                    Thread.sleep(2000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return 200;
            });
            start = System.nanoTime();
            WebhookSender.Result late = attempts.send(receiver.url("/slow-dns-and-answer"), "dns-2", "{}",
                    List.of(WebhookSignature.newSecret()));
            took = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(took.compareTo(Duration.ofMillis(3500)) < 0, "the attempt took " + took);
            assertEquals(new WebhookSender.Result(null, "no answer within 3 s"), late);
        } finally {
            attempts.lookup = system;
        }
    }

    private static Endpoint endpoint(TestApplication shop, Map<String, Object> input) {
        String path = "/" + UUID.randomUUID();
        input.put("url", receiver.url(path));
        JsonPath created = post(shop.authorization(), "createWebhookEndpoint", vars("input", input));
        assertEquals(List.of(), created.getList("data.createWebhookEndpoint.userErrors"), created::prettify);
        return new Endpoint(created.getString("data.createWebhookEndpoint.webhookEndpoint.id"),
                created.getString("data.createWebhookEndpoint.webhookEndpoint.secret"), path);
    }

    private static List<Map<String, Object>> log(TestApplication shop, String endpointId) {
        JsonPath log = post(shop.authorization(), "webhookDeliveries", vars("endpointId", endpointId, "first", 100));
        assertNull(log.get("errors"), log::prettify);
        return log.getList("data.webhookDeliveries.nodes");
    }

    private static Map<String, Object> awaitStatus(TestApplication shop, String endpointId, String deliveryId, String status) {
        Map<String, Object>[] found = new Map[1];
        eventually(Duration.ofSeconds(20), () -> {
            found[0] = log(shop, endpointId).stream().filter(d -> d.get("id").equals(deliveryId)).findFirst().orElseThrow();
            return found[0].get("status").equals(status);
        }, () -> "delivery " + deliveryId + " " + status + ": " + found[0]);
        return found[0];
    }

    @Test
    void aSessionsChangesArriveSignedInSequenceOrder() throws Exception {
        TestApplication shop = TestApplication.create();
        Endpoint endpoint = endpoint(shop, vars());
        assertTrue(endpoint.secret().matches("whsec_[A-Za-z0-9+/]{43}="), endpoint.secret());
        shop.updateOk("order-1", Map.of("cartItems", List.of(vars("sku", "SHOE", "quantity", 2, "price", "59.95")),
                "additionalCosts", List.of(vars("name", "shipping", "price", "4.99"))));
        shop.updateOk("order-1", Map.of("couponCodes", List.of("SPRING")));
        assertEquals(List.of(), shop.call("closeCustomerSession", vars("integrationId", "order-1")).getList("data.closeCustomerSession.userErrors"));

        List<Received> requests = receiver.awaitRequests(endpoint.path(), 3);
        assertEquals(3, requests.size());
        for (Received request : requests) {
            assertTrue(WebhookReceiver.verify(request, endpoint.secret()), "signed with the endpoint's secret: " + request);
            assertFalse(WebhookReceiver.verify(request, WebhookSignature.newSecret()), "not with another");
            assertEquals(request.id(), new JsonPath(request.body()).getString("id"), "webhook-id is the body's id");
        }
        List<JsonPath> bodies = requests.stream().map(r -> new JsonPath(r.body())).toList();
        assertEquals(List.of("CREATED", "UPDATED", "CLOSED"), bodies.stream().map(b -> b.getString("type")).toList());
        assertEquals(List.of(1, 2, 3), bodies.stream().map(b -> b.getInt("sequence")).toList(), "in sequence order");
        JsonPath closed = bodies.get(2);
        assertEquals(String.valueOf(shop.id), closed.getString("applicationId"));
        assertEquals("order-1", closed.getString("integrationId"));
        OffsetDateTime.parse(closed.getString("occurredAt"));
        assertEquals(false, closed.getBoolean("sessionOmitted"));
        Map<String, Object> session = closed.getMap("session");
        assertEquals("closed", session.get("state"));
        assertEquals(3, session.get("version"));
        assertEquals(List.of("SPRING"), session.get("couponCodes"));
        assertEquals("124.89", session.get("total"), "money as strings, exact");
        assertEquals("119.9", session.get("cartItemTotal"));
        assertEquals("4.99", session.get("additionalCostTotal"));
        List<Map<String, Object>> items = closed.getList("session.cartItems");
        assertEquals("1", items.get(0).get("lineId"));
        assertEquals("59.95", items.get(0).get("price"));
        assertEquals(2, items.get(0).get("remainingQuantity"));
        assertEquals(List.of(Map.of("name", "shipping", "price", "4.99")), session.get("additionalCosts"));
        assertEquals(shop.stored("order-1").get("id"), session.get("id"), "the session's id, as the API serves it");

        List<Map<String, Object>> log = log(shop, endpoint.id());
        assertEquals(3, log.size());
        assertEquals(List.of("CLOSED", "UPDATED", "CREATED"), log.stream().map(d -> d.get("eventType")).toList(), "newest first");
        for (Map<String, Object> delivery : log) {
            assertEquals("DELIVERED", delivery.get("status"));
            assertEquals(1, delivery.get("attemptCount"));
            assertEquals(200, delivery.get("lastStatusCode"));
            assertNull(delivery.get("nextAttempt"));
            List<Map<String, Object>> attempts = (List<Map<String, Object>>) delivery.get("attempts");
            assertEquals(1, attempts.size());
            assertEquals(200, attempts.get(0).get("statusCode"));
            assertNull(attempts.get(0).get("error"));
        }
        assertEquals(requests.get(0).id(), log.get(2).get("id"));
    }

    @Test
    void anAnswerOtherThan2xxIsRetriedUnderTheSameId() throws Exception {
        TestApplication shop = TestApplication.create();
        Endpoint endpoint = endpoint(shop, vars());
        AtomicInteger answered = new AtomicInteger();
        receiver.answer(endpoint.path(), () -> answered.getAndIncrement() == 0 ? 500 : 200);
        shop.updateOk("retried", Map.of());

        List<Received> requests = receiver.awaitRequests(endpoint.path(), 2);
        assertEquals(requests.get(0).id(), requests.get(1).id(), "the same webhook-id");
        assertEquals(requests.get(0).body(), requests.get(1).body(), "the same body");
        assertTrue(Duration.between(requests.get(0).at(), requests.get(1).at()).toMillis() >= 150, "after the backoff");
        Map<String, Object> delivery = awaitStatus(shop, endpoint.id(), requests.get(0).id(), "DELIVERED");
        assertEquals(2, delivery.get("attemptCount"));
        List<Map<String, Object>> attempts = (List<Map<String, Object>>) delivery.get("attempts");
        assertEquals(List.of(200, 500), attempts.stream().map(a -> a.get("statusCode")).toList(), "newest first");
    }

    @Test
    void afterTheLastAttemptFailsTheSessionsNextDeliveryGoesOnAndRedeliveryResendsIt() throws Exception {
        TestApplication shop = TestApplication.create();
        Endpoint endpoint = endpoint(shop, vars());
        AtomicBoolean up = new AtomicBoolean(false);
        receiver.answer(endpoint.path(), () -> up.get() ? 200 : 503);
        shop.updateOk("down", Map.of());
        shop.updateOk("down", Map.of("couponCodes", List.of("LATER")));

        eventually(Duration.ofSeconds(20), () -> log(shop, endpoint.id()).size() == 2, () -> "two deliveries");
        List<Map<String, Object>> log = log(shop, endpoint.id());
        String first = (String) log.get(1).get("id");
        String second = (String) log.get(0).get("id");
        Map<String, Object> failed = awaitStatus(shop, endpoint.id(), first, "FAILED");
        assertEquals(3, failed.get("attemptCount"), "max-attempts");
        assertEquals(503, failed.get("lastStatusCode"));
        assertNull(failed.get("nextAttempt"));
        eventually(Duration.ofSeconds(20), () -> receiver.requests(endpoint.path()).stream().anyMatch(r -> r.id().equals(second)),
                () -> "the second delivery is attempted once the first has failed");
        List<Received> requests = receiver.requests(endpoint.path());
        int lastOfFirst = -1;
        int firstOfSecond = Integer.MAX_VALUE;
        for (int i = 0; i < requests.size(); i++) {
            if (requests.get(i).id().equals(first)) {
                lastOfFirst = i;
            } else if (requests.get(i).id().equals(second)) {
                firstOfSecond = Math.min(firstOfSecond, i);
            }
        }
        assertTrue(lastOfFirst < firstOfSecond, "the session's deliveries in order: " + requests);

        up.set(true);
        awaitStatus(shop, endpoint.id(), second, "DELIVERED");
        JsonPath redelivered = post(shop.authorization(), "redeliverWebhook", vars("deliveryId", first));
        assertEquals(List.of(), redelivered.getList("data.redeliverWebhook.userErrors"), redelivered::prettify);
        assertEquals(first, redelivered.getString("data.redeliverWebhook.webhookDelivery.id"));
        assertEquals("PENDING", redelivered.getString("data.redeliverWebhook.webhookDelivery.status"));
        Map<String, Object> delivered = awaitStatus(shop, endpoint.id(), first, "DELIVERED");
        assertEquals(4, delivered.get("attemptCount"), "three failed and the redelivery");
        Received resent = receiver.requests(endpoint.path()).stream().filter(r -> r.id().equals(first)).reduce((a, b) -> b).orElseThrow();
        assertTrue(WebhookReceiver.verify(resent, endpoint.secret()));
        assertEquals(1, new JsonPath(resent.body()).getInt("sequence"));

        JsonPath again = post(shop.authorization(), "redeliverWebhook", vars("deliveryId", second));
        assertEquals("PENDING", again.getString("data.redeliverWebhook.webhookDelivery.status"), "a delivered one is queued again too");
        JsonPath unknown = post(shop.authorization(), "redeliverWebhook", vars("deliveryId", "999999999"));
        assertEquals("NOT_FOUND", unknown.getString("data.redeliverWebhook.userErrors[0].code"));
        TestApplication other = TestApplication.create();
        JsonPath foreign = post(other.authorization(), "redeliverWebhook", vars("deliveryId", first));
        assertEquals("NOT_FOUND", foreign.getString("data.redeliverWebhook.userErrors[0].code"), "another application's key reaches nothing");
        assertEquals(List.of(), post(other.authorization(), "webhookDeliveries", vars("endpointId", endpoint.id()))
                .getList("data.webhookDeliveries.nodes"));
    }

    /**
     * A delivery whose attempt's instance died (claimed under a lease, its outcome never recorded, as SIGKILL leaves it)
     * is left alone while the lease holds, and attempted again, under the same id, once it has run out.
     */
    @Test
    void aDeliveryWhoseInstanceDiedIsDeliveredOnceItsLeaseRunsOut() throws Exception {
        TestApplication shop = TestApplication.create();
        Endpoint endpoint = endpoint(shop, vars());
        shop.updateOk("leased", Map.of());
        Received delivered = receiver.awaitRequests(endpoint.path(), 1).get(0);
        awaitStatus(shop, endpoint.id(), delivered.id(), "DELIVERED");
        double deliveredBefore = metrics.counter(WebhookDeliveryWorker.DELIVERIES_METRIC, "outcome", "delivered").count();

        Instant leased = Instant.now();
        try (Connection connection = dataSource.getConnection(); PreparedStatement claim = connection.prepareStatement(
                "update webhook_delivery set status = 'PENDING', next_attempt = now(), attempts = attempts + 1, queue_attempts = 1, "
                        + "locked_until = now() + interval '1500 milliseconds' where id = ?")) {
            claim.setLong(1, Long.parseLong(delivered.id()));
            assertEquals(1, claim.executeUpdate());
        }
        Received again = receiver.awaitRequests(endpoint.path(), 2).get(1);
        assertEquals(delivered.id(), again.id());
        assertTrue(Duration.between(leased, again.at()).toMillis() >= 1400, "not before the lease ran out");
        Map<String, Object> log = awaitStatus(shop, endpoint.id(), delivered.id(), "DELIVERED");
        assertEquals(3, log.get("attemptCount"), "the first, the one that died, the one after the lease");
        assertEquals(2, ((List<?>) log.get("attempts")).size(), "the one that died recorded nothing");
        assertEquals(deliveredBefore + 1, metrics.counter(WebhookDeliveryWorker.DELIVERIES_METRIC, "outcome", "delivered").count());
    }

    /** An erasure of the customer's data takes their session out of the bodies the delivery log keeps. */
    @Test
    void anErasureTakesTheSessionOutOfEarlierDeliveries() throws Exception {
        TestApplication shop = TestApplication.create();
        Endpoint endpoint = endpoint(shop, vars());
        shop.updateOk("erased", Map.of("profileId", "erase-me@example.com", "identifiers", List.of("device-1")));
        Received created = receiver.awaitRequests(endpoint.path(), 1).get(0);
        assertEquals("erase-me@example.com", new JsonPath(created.body()).getString("session.profileId"));
        awaitStatus(shop, endpoint.id(), created.id(), "DELIVERED");

        JsonPath erased = post(shop.authorization(), "eraseCustomerData", vars("profileId", "erase-me@example.com"));
        assertEquals(1, erased.getInt("data.eraseCustomerData.sessionsDeleted"), erased::prettify);
        Received deleted = receiver.awaitRequests(endpoint.path(), 2).get(1);
        assertEquals("DELETED", new JsonPath(deleted.body()).getString("type"));
        assertNull(new JsonPath(deleted.body()).get("session"));
        eventually(Duration.ofSeconds(10), () -> storedSession(created.id()) == null, () -> "the earlier body keeps the session");
        assertEquals(created.id(), new JsonPath(storedBody(created.id())).getString("id"), "the rest of the body stays");
    }

    private String storedBody(String deliveryId) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement read = connection.prepareStatement("select body from webhook_delivery where id = ?")) {
            read.setLong(1, Long.parseLong(deliveryId));
            try (var rows = read.executeQuery()) {
                rows.next();
                return rows.getString(1);
            }
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }

    private Object storedSession(String deliveryId) {
        return new JsonPath(storedBody(deliveryId)).get("session");
    }

    @Test
    void endpointsTakeTheKindsTheyAskForAndNothingWhileDisabled() throws Exception {
        TestApplication shop = TestApplication.create();
        Endpoint closes = endpoint(shop, vars("eventKinds", List.of("CLOSED")));
        Endpoint disabled = endpoint(shop, vars("enabled", false));
        Endpoint all = endpoint(shop, vars());
        shop.updateOk("kinds", Map.of());
        shop.call("closeCustomerSession", vars("integrationId", "kinds"));
        receiver.awaitRequests(all.path(), 2);
        List<Received> closed = receiver.awaitRequests(closes.path(), 1);
        assertEquals("CLOSED", new JsonPath(closed.get(0).body()).getString("type"));
        assertEquals(1, receiver.requests(closes.path()).size());
        assertEquals(0, receiver.requests(disabled.path()).size(), "a disabled endpoint gets nothing");
        assertEquals(List.of(), log(shop, disabled.id()));
    }

    @Test
    void aRotatedSecretSignsBesideTheOldOneAndAnEndpointIsUpdatedAndDeleted() throws Exception {
        TestApplication shop = TestApplication.create();
        Endpoint endpoint = endpoint(shop, vars());
        JsonPath rotated = post(shop.authorization(), "rotateWebhookSecret", vars("id", endpoint.id()));
        assertEquals(List.of(), rotated.getList("data.rotateWebhookSecret.userErrors"), rotated::prettify);
        String secret = rotated.getString("data.rotateWebhookSecret.webhookEndpoint.secret");
        assertNotEquals(endpoint.secret(), secret);
        shop.updateOk("rotated", Map.of());
        Received request = receiver.awaitRequests(endpoint.path(), 1).get(0);
        assertEquals(2, request.signature().split(" ").length, request.signature());
        assertTrue(WebhookReceiver.verify(request, secret));
        assertTrue(WebhookReceiver.verify(request, endpoint.secret()), "the old secret signs too, for a while");

        String newPath = "/" + UUID.randomUUID();
        JsonPath updated = post(shop.authorization(), "updateWebhookEndpoint", vars("id", endpoint.id(),
                "input", vars("url", receiver.url(newPath), "eventKinds", List.of("UPDATED", "CLOSED"))));
        assertEquals(List.of(), updated.getList("data.updateWebhookEndpoint.userErrors"), updated::prettify);
        assertEquals(List.of("UPDATED", "CLOSED"), updated.getList("data.updateWebhookEndpoint.webhookEndpoint.eventKinds"));
        assertEquals(true, updated.getBoolean("data.updateWebhookEndpoint.webhookEndpoint.enabled"), "left out: kept");
        assertNull(updated.get("data.updateWebhookEndpoint.webhookEndpoint.secret"), "the secret is shown only when made");
        shop.updateOk("rotated", Map.of("couponCodes", List.of("NEW")));
        assertEquals("UPDATED", new JsonPath(receiver.awaitRequests(newPath, 1).get(0).body()).getString("type"));

        JsonPath listed = post(shop.authorization(), "webhookEndpoints", vars());
        assertEquals(List.of(endpoint.id()), listed.getList("data.webhookEndpoints.nodes.id"));
        assertEquals(List.of(endpoint.id()), post(MANAGEMENT, "webhookEndpoints", vars("applicationId", String.valueOf(shop.id)))
                .getList("data.webhookEndpoints.nodes.id"));
        JsonPath deleted = post(MANAGEMENT, "deleteWebhookEndpoint", vars("id", endpoint.id()));
        assertEquals(endpoint.id(), deleted.getString("data.deleteWebhookEndpoint.deletedWebhookEndpointId"));
        assertEquals(List.of(), post(shop.authorization(), "webhookEndpoints", vars()).getList("data.webhookEndpoints.nodes"));
        assertEquals("NOT_FOUND", post(shop.authorization(), "deleteWebhookEndpoint", vars("id", endpoint.id()))
                .getString("data.deleteWebhookEndpoint.userErrors[0].code"));
    }

    @Test
    void aThousandItemCartTravelsWhole() throws Exception {
        TestApplication shop = TestApplication.create();
        Endpoint endpoint = endpoint(shop, vars("eventKinds", List.of("CREATED")));
        List<Map<String, Object>> items = new java.util.ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            items.add(vars("sku", "SKU-" + i, "name", "Item number " + i, "category", "socks", "quantity", 1 + i % 7, "price", "1.99",
                    "attributes", List.of(vars("name", "color", "stringValue", "red"))));
        }
        shop.updateOk("large", Map.of("cartItems", items));
        Received request = receiver.awaitRequests(endpoint.path(), 1).get(0);
        JsonPath body = new JsonPath(request.body());
        assertEquals(1000, body.getList("session.cartItems").size());
        assertEquals(false, body.getBoolean("sessionOmitted"));
        int bytes = request.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        assertTrue(bytes < 700_000, "a 1000-item cart's body: " + bytes + " bytes (docs/webhooks.md)");
        System.out.println("A 1000-item cart's webhook body: " + bytes + " bytes");
    }

    /** The Node.js function docs/webhooks.md gives receivers, run as it stands against a delivery of the service. */
    @Test
    void theDocumentedNodeVerificationAcceptsDeliveriesAndNothingElse() throws Exception {
        String node = ExternalTools.require("The documented Node.js verification", "apt-get install nodejs", "node");
        TestApplication shop = TestApplication.create();
        Endpoint endpoint = endpoint(shop, vars());
        shop.updateOk("node", Map.of("cartItems", List.of(vars("sku", "Ä-ß-€", "quantity", 1, "price", "0.10"))));
        Received request = receiver.awaitRequests(endpoint.path(), 1).get(0);

        String doc = Files.readString(Path.of("docs/webhooks.md"));
        String snippet = doc.substring(doc.indexOf("<!-- verify-node:start -->"), doc.indexOf("<!-- verify-node:end -->"));
        snippet = snippet.substring(snippet.indexOf("```js") + 5, snippet.lastIndexOf("```"));
        Path folder = Files.createTempDirectory("verify-node");
        Files.writeString(folder.resolve("verify.mjs"), snippet);
        Files.writeString(folder.resolve("check.mjs"), """
                import fs from 'node:fs';
                import { verifyWebhook } from './verify.mjs';
                const r = JSON.parse(fs.readFileSync('request.json', 'utf8'));
                const headers = {'webhook-id': r.id, 'webhook-timestamp': r.timestamp, 'webhook-signature': r.signature};
                const body = Buffer.from(r.body, 'utf8');
                console.log([verifyWebhook(r.secret, headers, body), verifyWebhook(r.otherSecret, headers, body),
                  verifyWebhook(r.secret, headers, Buffer.concat([body, Buffer.from(' ')])),
                  verifyWebhook(r.secret, {...headers, 'webhook-timestamp': String(Number(r.timestamp) - 600)}, body)].join(' '));
                """);
        Files.writeString(folder.resolve("request.json"), jakarta.json.Json.createObjectBuilder().add("id", request.id())
                .add("timestamp", request.timestamp()).add("signature", request.signature()).add("body", request.body())
                .add("secret", endpoint.secret()).add("otherSecret", WebhookSignature.newSecret()).build().toString());
        List<String> printed = ExternalTools.run(folder, List.of(node, "check.mjs"), 30);
        assertEquals(List.of("true false false false"), printed, "signed: yes; other secret, changed body, old timestamp: no");
    }

    @Test
    void theManagementKeyNamesTheApplication() {
        TestApplication shop = TestApplication.create();
        JsonPath withoutApplication = post(MANAGEMENT, "createWebhookEndpoint", vars("input", vars("url", receiver.url("/x"))));
        assertEquals("VALIDATION_FAILED", withoutApplication.getString("data.createWebhookEndpoint.userErrors[0].code"));
        assertEquals(List.of("applicationId"), withoutApplication.getList("data.createWebhookEndpoint.userErrors[0].field"));
        JsonPath created = post(MANAGEMENT, "createWebhookEndpoint", vars("applicationId", String.valueOf(shop.id),
                "input", vars("url", receiver.url("/m"))));
        assertEquals(String.valueOf(shop.id), created.getString("data.createWebhookEndpoint.webhookEndpoint.applicationId"));
        TestApplication other = TestApplication.create();
        JsonPath foreign = post(shop.authorization(), "createWebhookEndpoint", vars("applicationId", String.valueOf(other.id),
                "input", vars("url", receiver.url("/m"))));
        assertEquals("FORBIDDEN", foreign.getString("errors[0].extensions.code"), "a key reaches only its own application");
        assertEquals(List.of(), post(MANAGEMENT, "webhookEndpoints", vars("applicationId", String.valueOf(other.id)))
                .getList("data.webhookEndpoints.nodes"), "nothing stored");
        JsonPath unnamed = GraphQLClient.post(MANAGEMENT, "webhookEndpoints", vars());
        assertEquals("VALIDATION_FAILED", unnamed.getString("errors[0].extensions.code"));
    }
}
