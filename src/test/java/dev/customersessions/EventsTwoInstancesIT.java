package dev.customersessions;

import static dev.customersessions.support.GraphQLClient.MANAGEMENT;
import static dev.customersessions.support.GraphQLClient.apiKey;
import static dev.customersessions.support.GraphQLClient.document;
import static dev.customersessions.support.GraphQLClient.post;
import static dev.customersessions.support.GraphQLClient.vars;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.customersessions.support.Concurrently;
import dev.customersessions.support.GraphQLClient;
import dev.customersessions.support.GraphQLWebSocket;
import dev.customersessions.support.GraphQLWebSocket.Received;
import dev.customersessions.support.PackagedAppDatabase;
import dev.customersessions.support.SecondInstance;
import dev.customersessions.support.TestApplication;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;

/**
 * Two instances of the packaged application on one database, as two replicas: a subscriber on one instance sees every
 * change made through the other, in version order, within half a second of the write's answer; a key revoked through
 * one instance closes the other's connections that hold it; a client of an instance that dies (SIGKILL) resumes on the
 * other from what it last received, and misses nothing.
 */
@QuarkusIntegrationTest
@WithTestResource(PackagedAppDatabase.class)
class EventsTwoInstancesIT {

    private static final String SESSION_CHANGED = document("customerSessionChanged");
    private static final String SESSIONS_CHANGED = document("customerSessionsChanged");
    private static final String ONE = "customerSessionChanged";
    private static final String ALL = "customerSessionsChanged";
    private static final int PORT = 8093;
    private static final int MANAGEMENT_PORT = 9093;

    /** A write's answer through instance A: the version it stored, and when the answer arrived ({@link System#nanoTime()}). */
    record Write(String session, int version, long answeredNanos) {
    }

    /** An event as a subscriber received it. */
    record Delivery(String session, int version, String cursor, long receivedNanos) {
    }

    @Test
    void aSubscriberOnOneInstanceSeesEveryChangeMadeThroughTheOtherWithinHalfASecond() throws Exception {
        TestApplication shop = TestApplication.create();
        List<String> sessions = List.of("s0", "s1", "s2", "s3", "s4");
        sessions.forEach(session -> shop.updateOk(session, Map.of()));
        try (SecondInstance b = SecondInstance.start(PORT, MANAGEMENT_PORT);
                GraphQLWebSocket all = GraphQLWebSocket.connect(b.port, shop.authorization());
                GraphQLWebSocket one = GraphQLWebSocket.connect(b.port, shop.authorization())) {
            one.subscribe("one", SESSION_CHANGED, vars("integrationId", "s0", "sinceVersion", 1));
            all.subscribe("all", SESSIONS_CHANGED, vars());
            awaitLive(shop, all);

            // 10 rounds of 5 concurrent writes through A: in even rounds one per session, in odd rounds five writers on
            // three sessions (two pairs race for a session's row).
            List<Write> writes = new ArrayList<>();
            for (int round = 0; round < 10; round++) {
                int r = round;
                writes.addAll(Concurrently.call(5, writer -> write(shop, sessions.get(r % 2 == 0 ? writer : writer % 3), "r" + r + "w" + writer)));
            }
            assertEquals(50, writes.size());
            Map<String, Integer> finals = finalVersions(writes);

            List<Delivery> toAll = collect(all, "all", ALL, finals);
            List<Delivery> toOne = collect(one, "one", ONE, Map.of("s0", finals.get("s0")));
            assertInOrderAndComplete(toAll, finals, Map.of(), "customerSessionsChanged on B");
            assertInOrderAndComplete(toOne, Map.of("s0", finals.get("s0")), Map.of(), "customerSessionChanged on B");
            assertDeliveredWithin(Duration.ofMillis(500), writes, toAll, "customerSessionsChanged on B");
            assertDeliveredWithin(Duration.ofMillis(500), writes, toOne, "customerSessionChanged on B");
        }
    }

    @Test
    void aKeyRevokedThroughOneInstanceClosesTheOthersConnectionsHoldingIt() throws Exception {
        TestApplication shop = TestApplication.create();
        shop.updateOk("watched", Map.of());
        JsonPath issued = post(MANAGEMENT, "createApiKey", vars("applicationId", String.valueOf(shop.id), "input", Map.of("kind", "SECRET")));
        String key = apiKey(issued.getString("data.createApiKey.apiKey.key"));
        long keyId = GraphQLClient.id(issued, "data.createApiKey.apiKey.id");
        try (SecondInstance b = SecondInstance.start(PORT, MANAGEMENT_PORT);
                GraphQLWebSocket first = GraphQLWebSocket.connect(b.port, key);
                GraphQLWebSocket second = GraphQLWebSocket.connect(b.port, key);
                GraphQLWebSocket other = GraphQLWebSocket.connect(b.port, shop.authorization())) {
            first.subscribe("all", SESSIONS_CHANGED, vars());
            second.subscribe("one", SESSION_CHANGED, vars("integrationId", "watched"));
            other.subscribe("all", SESSIONS_CHANGED, vars());
            awaitLive(shop, first, other);

            JsonPath revoked = post(MANAGEMENT, "revokeApiKey", vars("id", keyId));
            long revokedAt = System.nanoTime();
            assertEquals((Object) null, revoked.get("errors"), revoked::prettify);
            assertEquals(4403, first.closeCode(Duration.ofSeconds(2)), "closed with 4403 within 2 s of the revocation");
            assertEquals(4403, second.closeCode(Duration.ofSeconds(2)), "closed with 4403 within 2 s of the revocation");
            long millis = (System.nanoTime() - revokedAt) / 1_000_000;
            assertTrue(millis <= 2000, "both connections closed " + millis + " ms after the revocation was answered");

            // The connection holding another key stays open and keeps receiving.
            Write after = write(shop, "watched", "after");
            List<Delivery> toOther = collect(other, "all", ALL, Map.of("watched", after.version()));
            assertEquals(after.version(), toOther.get(toOther.size() - 1).version());
            assertFalse(other.isClosed());
        }
    }

    @Test
    void aClientOfAKilledInstanceResumesOnTheOtherAndMissesNothing() throws Exception {
        TestApplication shop = TestApplication.create();
        List<String> sessions = List.of("k0", "k1", "k2");
        sessions.forEach(session -> shop.updateOk(session, Map.of()));
        SecondInstance doomed = SecondInstance.start(PORT, MANAGEMENT_PORT);
        Map<String, Integer> had = new HashMap<>(); // what the shop's server received, per session
        String cursor;
        int pageHad;
        try (GraphQLWebSocket all = GraphQLWebSocket.connect(doomed.port, shop.authorization());
                GraphQLWebSocket page = GraphQLWebSocket.connect(doomed.port, shop.authorization())) {
            page.subscribe("one", SESSION_CHANGED, vars("integrationId", "k0", "sinceVersion", 1));
            all.subscribe("all", SESSIONS_CHANGED, vars());
            awaitLive(shop, all);
            List<Write> before = new ArrayList<>();
            for (String session : sessions) {
                before.add(write(shop, session, "before"));
            }
            List<Delivery> received = new ArrayList<>(collect(all, "all", ALL, finalVersions(before)));
            List<Delivery> pageReceived = new ArrayList<>(collect(page, "one", ONE, Map.of("k0", 2)));

            // Changes in flight as the instance dies: whatever of them reaches the client before its connection breaks
            // counts as received, the rest is missed.
            for (String session : sessions) {
                write(shop, session, "as it dies");
            }
            doomed.kill();
            int code = all.closeCode(Duration.ofSeconds(5));
            assertNotEquals(1000, code, "no orderly close from a killed instance");
            assertTrue(page.closeCode(Duration.ofSeconds(5)) != 1000);
            received.addAll(deliveries(all.drained(), "all", ALL));
            pageReceived.addAll(deliveries(page.drained(), "one", ONE));
            received.forEach(d -> had.merge(d.session(), d.version(), Math::max));
            cursor = received.get(received.size() - 1).cursor();
            pageHad = pageReceived.get(pageReceived.size() - 1).version();
        } finally {
            doomed.close();
        }

        // While the client is away: more changes through A, and a new session.
        List<Write> missed = new ArrayList<>();
        for (String session : List.of("k0", "k1", "k2", "k1", "k3")) {
            missed.add(write(shop, session, "missed " + missed.size()));
        }
        Map<String, Integer> finals = finalVersions(missed);

        try (GraphQLWebSocket all = GraphQLWebSocket.connect(RestAssured.port, shop.authorization());
                GraphQLWebSocket page = GraphQLWebSocket.connect(RestAssured.port, shop.authorization())) {
            all.subscribe("all", SESSIONS_CHANGED, vars("since", cursor));
            page.subscribe("one", SESSION_CHANGED, vars("integrationId", "k0", "sinceVersion", pageHad));
            List<Delivery> resumed = collect(all, "all", ALL, finals);
            assertInOrderAndComplete(resumed, finals, had, "customerSessionsChanged resumed on A from the cursor");
            List<Delivery> pageResumed = collect(page, "one", ONE, Map.of("k0", finals.get("k0")));
            assertInOrderAndComplete(pageResumed, Map.of("k0", finals.get("k0")), Map.of("k0", pageHad),
                    "customerSessionChanged resumed on A from sinceVersion");
        }
    }

    /** Changes the session through instance A (a new coupon code each time): the version stored and when it was answered. */
    private static Write write(TestApplication shop, String session, String coupon) {
        JsonPath answer = shop.call("updateCustomerSessionBrief", vars("integrationId", session, "input", vars("couponCodes", List.of(coupon))));
        long answered = System.nanoTime();
        assertEquals(List.of(), answer.getList("data.updateCustomerSession.userErrors"), answer::prettify);
        return new Write(session, answer.getInt("data.updateCustomerSession.customerSession.version"), answered);
    }

    private static Map<String, Integer> finalVersions(List<Write> writes) {
        return writes.stream().collect(Collectors.toMap(Write::session, Write::version, Math::max, LinkedHashMap::new));
    }

    /**
     * Waits until the subscriptions "all" of the sockets deliver: changes a session of its own ("probe") until each has
     * received its change, so that nothing the test does afterwards falls before a subscription started.
     */
    private static void awaitLive(TestApplication shop, GraphQLWebSocket... sockets) {
        List<GraphQLWebSocket> waiting = new ArrayList<>(List.of(sockets));
        for (int attempt = 0; attempt < 20 && !waiting.isEmpty(); attempt++) {
            write(shop, "probe", "probe " + attempt);
            waiting.removeIf(socket -> {
                for (Received r = socket.pollReceived(Duration.ofSeconds(1)); r != null; r = socket.pollReceived(Duration.ofMillis(50))) {
                    if ("probe".equals(r.message().getString("payload.data." + ALL + ".integrationId"))) {
                        return true;
                    }
                }
                return false;
            });
        }
        assertTrue(waiting.isEmpty(), "a subscription did not start delivering");
    }

    /**
     * Receives the subscription's events until each session has arrived at its expected version (or 10 s have passed);
     * events of other sessions (the probe's) are left out.
     */
    private static List<Delivery> collect(GraphQLWebSocket socket, String id, String field, Map<String, Integer> expected) {
        List<Delivery> got = new ArrayList<>();
        Map<String, Integer> reached = new HashMap<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (expected.entrySet().stream().anyMatch(e -> reached.getOrDefault(e.getKey(), 0) < e.getValue())) {
            Received r = socket.pollReceived(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            if (r == null) {
                fail(field + ": the sessions reached " + reached + ", not " + expected + ", within 10 s; received " + got);
            }
            for (Delivery d : deliveries(List.of(r), id, field)) {
                if (expected.containsKey(d.session())) {
                    got.add(d);
                    reached.merge(d.session(), d.version(), Math::max);
                }
            }
        }
        return got;
    }

    private static List<Delivery> deliveries(List<?> messages, String id, String field) {
        List<Delivery> got = new ArrayList<>();
        for (Object m : messages) {
            JsonPath message = m instanceof Received r ? r.message() : (JsonPath) m;
            long at = m instanceof Received r ? r.nanos() : System.nanoTime();
            if ("ping".equals(message.getString("type"))) {
                continue;
            }
            assertEquals(id, message.getString("id"), message::prettify);
            assertEquals("next", message.getString("type"), message::prettify);
            assertEquals((Object) null, message.get("payload.errors"), message::prettify);
            String path = "payload.data." + field + ".";
            got.add(new Delivery(message.getString(path + "integrationId"), message.getInt(path + "version"), message.getString(path + "cursor"), at));
        }
        return got;
    }

    /**
     * Per session: versions strictly increase (above {@code had}, what the client held before), and the last one is the
     * session's final version: quick successive versions may be folded into the newest, none is lost.
     */
    private static void assertInOrderAndComplete(List<Delivery> deliveries, Map<String, Integer> finals, Map<String, Integer> had, String who) {
        Map<String, Integer> last = new HashMap<>(had);
        for (Delivery d : deliveries) {
            int before = last.getOrDefault(d.session(), 0);
            assertTrue(d.version() > before, who + ": " + d.session() + " version " + d.version() + " after " + before + "; all: " + deliveries);
            last.put(d.session(), d.version());
        }
        finals.forEach((session, version) -> assertEquals(version, last.get(session), who + ": the final version of " + session));
    }

    /** Every delivery came within the bound of the answer to the write that stored its version. */
    private static void assertDeliveredWithin(Duration bound, List<Write> writes, List<Delivery> deliveries, String who) {
        Map<String, Long> answered = new HashMap<>();
        writes.forEach(w -> answered.put(w.session() + "@" + w.version(), w.answeredNanos()));
        long worst = Long.MIN_VALUE;
        List<Long> delays = new ArrayList<>();
        for (Delivery d : deliveries) {
            Long at = answered.get(d.session() + "@" + d.version());
            assertNotNull(at, who + ": " + d.session() + " version " + d.version() + " was not written by the test");
            long millis = (d.receivedNanos() - at) / 1_000_000;
            delays.add(millis);
            worst = Math.max(worst, millis);
        }
        assertTrue(worst <= bound.toMillis(), who + ": the slowest delivery came " + worst + " ms after its write's answer; all (ms): " + delays);
        System.out.printf("%s: %d deliveries, the slowest %d ms after its write's answer (all, ms: %s)%n", who, delays.size(), worst, delays);
    }
}
