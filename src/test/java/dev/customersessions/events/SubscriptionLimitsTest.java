package dev.customersessions.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.customersessions.support.GraphQLWebSocket;
import dev.customersessions.support.WebhookReceiver;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;

/**
 * The per-instance limits of subscriptions under bursts, with small limits: WebSocket connections (a burst of upgrades
 * cannot open more than the limit) and subscriptions per key (subscriptions that end as the client completes them give
 * back exactly what they took).
 */
@QuarkusTest
@TestProfile(SubscriptionLimitsTest.SmallLimits.class)
class SubscriptionLimitsTest {

    static final int MAX_CONNECTIONS = 4;
    static final int PER_KEY = 3;

    /** Four connections per instance, three subscriptions per key. */
    public static class SmallLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("customer-sessions.events.subscriptions.max-connections", String.valueOf(MAX_CONNECTIONS),
                    "customer-sessions.events.subscriptions.per-key", String.valueOf(PER_KEY));
        }
    }

    @Test
    void aBurstOfUpgradesOpensNoMoreConnectionsThanTheLimit() {
        HttpClient http = HttpClient.newHttpClient();
        List<CompletableFuture<WebSocket>> burst = new ArrayList<>();
        for (int i = 0; i < 8 * MAX_CONNECTIONS; i++) {
            burst.add(http.newWebSocketBuilder().subprotocols("graphql-transport-ws")
                    .buildAsync(URI.create("ws://localhost:" + RestAssured.port + "/graphql"), new WebSocket.Listener() {
                    }));
        }
        List<WebSocket> opened = new ArrayList<>();
        int refused = 0;
        for (CompletableFuture<WebSocket> upgrade : burst) {
            try {
                opened.add(upgrade.orTimeout(10, TimeUnit.SECONDS).join());
            } catch (CompletionException e) {
                assertTrue(e.getCause() instanceof WebSocketHandshakeException, e::toString);
                assertEquals(503, ((WebSocketHandshakeException) e.getCause()).getResponse().statusCode());
                refused++;
            }
        }
        try {
            // At most the limit (fewer while the other test's connections are still closing), and the rest refused.
            String counts = opened.size() + " opened, " + refused + " refused with 503, of " + burst.size() + " at once";
            assertTrue(opened.size() <= MAX_CONNECTIONS && !opened.isEmpty(), counts);
            assertEquals(burst.size(), opened.size() + refused, counts);
        } finally {
            opened.forEach(WebSocket::abort);
        }
        // Closed connections give their places back.
        WebhookReceiver.eventually(Duration.ofSeconds(5), () -> {
            try (GraphQLWebSocket socket = GraphQLWebSocket.open()) {
                return true;
            } catch (CompletionException e) {
                return false;
            }
        }, () -> "a connection opens again");
    }
}
