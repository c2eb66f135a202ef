package dev.customersessions;

import static dev.customersessions.support.GraphQLClient.document;
import static dev.customersessions.support.GraphQLClient.vars;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.customersessions.support.LocalProxy;
import dev.customersessions.support.PackagedAppDatabase;
import dev.customersessions.support.SecondInstance;
import dev.customersessions.support.ShutdownTimings;
import dev.customersessions.support.TestApplication;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * A rolling restart under load loses nothing. Two instances of the packaged application on one database, with the
 * settings and timings of kubernetes/base ({@link ShutdownTimings}), behind HAProxy standing in for the Service
 * ({@link LocalProxy}: readiness-checked like the probe, no retries). Clients read, update and add cart lines through it
 * the whole time while each instance in turn gets SIGTERM, exits, and is started again on its ports: no request may
 * fail, every acknowledged write must be stored, readiness must go DOWN while the API still accepts connections, the
 * API must accept them for the whole shutdown delay, and each process must exit within the grace period. Then, on one
 * instance: a request in flight at SIGTERM, still arriving when the delay ends, is answered and stored.
 */
@QuarkusIntegrationTest
@WithTestResource(PackagedAppDatabase.class)
class RollingRestartIT {

    private static final int[][] PODS = { { 8095, 9095 }, { 8096, 9096 } };
    private static final int PROXY_PORT = 8097;
    private static final int SLOW_PORT = 8098;
    private static final int SLOW_MANAGEMENT_PORT = 9098;
    private static final int CLIENTS = 8;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ShutdownTimings timings = ShutdownTimings.deployment();
    private final Map<String, String> podSettings = ShutdownTimings.applicationEnv();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void replacingEachInstanceUnderLoadFailsNoRequest() throws Exception {
        LocalProxy.haproxy("RollingRestartIT");
        TestApplication shop = TestApplication.createBare();
        List<SecondInstance> pods = new ArrayList<>(List.of(pod(0, "a"), pod(1, "b")));
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        AtomicBoolean stop = new AtomicBoolean();
        Counts counts = new Counts();
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        List<String> measured = new ArrayList<>();
        List<Shutdown> shutdowns = new ArrayList<>();
        try (LocalProxy proxy = LocalProxy.start("RollingRestartIT", PROXY_PORT, timings, pods)) {
            List<Future<Shopper>> shoppers = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                Shopper shopper = new Shopper(shop, "rolling-" + i);
                shoppers.add(clients.submit(() -> shopper.run(proxy.port, stop, counts, failures)));
            }
            Thread.sleep(timings.readinessPeriod().multipliedBy(2).toMillis()); // load on both before the first stop
            for (int i = 0; i < pods.size(); i++) {
                String name = i == 0 ? "a" : "b";
                Shutdown shutdown = stop(pods.get(i));
                long servedAlone = counts.ok.get();
                SecondInstance replacement = pod(i, name + "-2");
                servedAlone = counts.ok.get() - servedAlone;
                pods.set(i, replacement);
                shutdowns.add(shutdown);
                measured.add(name + ": " + shutdown + "; " + servedAlone
                        + " requests answered by the other alone until its replacement was ready");
                assertTrue(servedAlone > 0, "the other instance served while " + name + " was away");
            }
            Thread.sleep(timings.readinessPeriod().multipliedBy(2).toMillis()); // and on both replacements
            stop.set(true);
            for (Future<Shopper> shopper : shoppers) {
                shopper.get(60, TimeUnit.SECONDS).assertStored(failures);
            }
        } finally {
            stop.set(true);
            clients.shutdownNow();
            for (SecondInstance pod : pods) {
                pod.close();
            }
        }
        String summary = "RollingRestartIT: " + counts + " through haproxy, " + failures.size() + " failed; "
                + String.join("; ", measured);
        System.out.println(summary);
        assertEquals(List.of(), failures.subList(0, Math.min(20, failures.size())), summary);
        assertTrue(counts.ok.get() > 100, summary);
        for (Shutdown shutdown : shutdowns) {
            assertTrue(shutdown.readinessDown() >= 0, "readiness answered DOWN while the instance stopped: " + shutdown);
            assertTrue(shutdown.readinessDown() < shutdown.refused(), "readiness DOWN before the API refused: " + shutdown);
            assertTrue(shutdown.refused() >= timings.delay().toMillis(), "new connections accepted through the delay: " + shutdown);
            assertTrue(shutdown.exited() >= 0, "exited within the grace period " + timings.grace() + ": " + shutdown);
        }
    }

    @Test
    void aRequestInFlightAtSigtermIsAnsweredAndTheApiAcceptsThroughTheDelay() throws Exception {
        TestApplication shop = TestApplication.createBare();
        shop.updateOk("slow", Map.of("referralCode", "before"));
        byte[] body = JSON.writeValueAsBytes(Map.of("query", document("updateCustomerSession"), "variables",
                vars("integrationId", "slow", "expectedVersion", 1, "input", Map.of("referralCode", "after"))));
        SecondInstance pod = SecondInstance.start(SLOW_PORT, SLOW_MANAGEMENT_PORT, "rolling-slow", podSettings);
        try (Socket slow = new Socket("127.0.0.1", SLOW_PORT)) {
            OutputStream out = slow.getOutputStream();
            out.write(("POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nAuthorization: "
                    + shop.authorization() + "\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body, 0, 10);
            out.flush();
            Thread.sleep(500); // the request has begun: its headers are in

            long signalled = System.nanoTime();
            pod.terminate();
            while (pod.readiness() != 503) {
                assertTrue(millisSince(signalled) < 1000, "readiness DOWN at once after SIGTERM");
                Thread.sleep(20);
            }
            long down = millisSince(signalled);

            Thread.sleep(Math.max(0, timings.delay().toMillis() - 1000 - millisSince(signalled)));
            long lateSent = millisSince(signalled);
            HttpResponse<String> late = post(SLOW_PORT, shop.authorization(), "customerSession", vars("integrationId", "slow"));
            long lateAt = millisSince(signalled);
            assertEquals(200, late.statusCode(), late::body);
            assertEquals("before", JSON.readTree(late.body()).at("/data/customerSession/referralCode").asText(), late::body);
            assertEquals("close", late.headers().firstValue("Connection").orElse(""), "keep-alive clients are moved off");

            Thread.sleep(Math.max(0, timings.delay().toMillis() + 500 - millisSince(signalled)));
            long drainingSent = millisSince(signalled);
            HttpResponse<String> draining = post(SLOW_PORT, shop.authorization(), "customerSession", vars("integrationId", "slow"));
            long drainingAt = millisSince(signalled);
            assertEquals(200, draining.statusCode(), "after the delay, while a request is in flight: " + draining.body());
            assertEquals("close", draining.headers().firstValue("Connection").orElse(""), "the connection is not kept");

            Thread.sleep(Math.max(0, timings.delay().toMillis() + 1500 - millisSince(signalled)));
            long rest = millisSince(signalled);
            out.write(body, 10, body.length - 10); // the rest of the body arrives after the delay, during the drain
            out.flush();
            String answer = readAll(slow.getInputStream());
            long answered = millisSince(signalled);
            assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
            assertTrue(answer.contains("\"referralCode\":\"after\""), answer);

            assertTrue(pod.awaitExit(timings.grace().minusMillis(millisSince(signalled))), "exit within the grace period");
            long exited = millisSince(signalled);
            System.out.println("RollingRestartIT (in flight): readiness DOWN after " + down + " ms; new connections sent at "
                    + lateSent + " ms (answered at " + lateAt + " ms) and " + drainingSent + " ms (" + drainingAt
                    + " ms); the in-flight request's body completed at " + rest + " ms and answered at " + answered
                    + " ms; exited after " + exited + " ms (delay " + timings.delay().toMillis() + " ms, grace "
                    + timings.grace().toMillis() + " ms)");
            assertEquals("after", shop.stored("slow").get("referralCode"), "the answered write is stored");
        } finally {
            pod.close();
        }
    }

    private SecondInstance pod(int index, String name) throws Exception {
        return SecondInstance.start(PODS[index][0], PODS[index][1], "rolling-" + name, podSettings);
    }

    /** What a stop looked like from outside, in ms after SIGTERM. */
    record Shutdown(long readinessDown, long refused, long exited) {
        @Override
        public String toString() {
            return "readiness DOWN after " + readinessDown + " ms, new connections refused after " + refused
                    + " ms, exited after " + exited + " ms";
        }
    }

    /**
     * SIGTERM, then watches readiness and the API port until the process ends (or the grace period does: then it is
     * killed, as Kubernetes would, and its exit is -1).
     */
    private Shutdown stop(SecondInstance pod) throws Exception {
        long signalled = System.nanoTime();
        pod.terminate();
        long readinessDown = -1;
        Long refused = null;
        while (!pod.awaitExit(Duration.ofMillis(50))) {
            if (readinessDown < 0 && pod.readiness() == 503) {
                readinessDown = millisSince(signalled);
            }
            if (refused == null && !LocalProxy.accepts(pod.port)) {
                refused = millisSince(signalled);
            }
            if (millisSince(signalled) > timings.grace().toMillis()) {
                pod.kill();
                return new Shutdown(readinessDown, refused == null ? -1 : refused, -1);
            }
        }
        long exited = millisSince(signalled);
        return new Shutdown(readinessDown, refused == null ? exited : refused, exited);
    }

    private HttpResponse<String> post(int port, String authorization, String documentName, Map<String, ?> variables)
            throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/graphql"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json").header("Authorization", authorization)
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(
                        Map.of("query", document(documentName), "variables", variables))))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static long millisSince(long nanoTime) {
        return (System.nanoTime() - nanoTime) / 1_000_000;
    }

    private static String readAll(InputStream in) throws Exception {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        in.transferTo(all);
        return all.toString(StandardCharsets.UTF_8);
    }

    /** Requests answered, by kind. */
    static final class Counts {
        final AtomicLong ok = new AtomicLong();
        final AtomicLong reads = new AtomicLong();
        final AtomicLong updates = new AtomicLong();
        final AtomicLong lineOperations = new AtomicLong();
        final AtomicLong sent = new AtomicLong();

        @Override
        public String toString() {
            return sent + " requests sent (" + reads + " reads, " + updates + " updates, " + lineOperations
                    + " cart line additions answered)";
        }
    }

    /**
     * One client with its own session: updates (with expectedVersion), adds cart lines (with expectedVersion) and reads,
     * in turn, and remembers what was acknowledged.
     */
    final class Shopper {
        private final TestApplication shop;
        private final String integrationId;
        private int version;
        private String referralCode;
        private final Set<String> skus = new HashSet<>();

        Shopper(TestApplication shop, String integrationId) {
            this.shop = shop;
            this.integrationId = integrationId;
            this.referralCode = "start";
            this.version = ((Number) shop.updateOk(integrationId, Map.of("referralCode", referralCode)).get("version")).intValue();
        }

        Shopper run(int port, AtomicBoolean stop, Counts counts, List<String> failures) {
            for (int step = 0; !stop.get(); step++) {
                String what = "?";
                try {
                    counts.sent.incrementAndGet();
                    HttpResponse<String> response;
                    String payload;
                    switch (step % 3) {
                        case 0 -> {
                            what = "update " + step;
                            response = post(port, shop.authorization(), "updateCustomerSession", vars("integrationId", integrationId,
                                    "expectedVersion", version, "input", Map.of("referralCode", "r" + step)));
                            payload = "/data/updateCustomerSession";
                        }
                        case 1 -> {
                            what = "addCartItems " + step;
                            response = post(port, shop.authorization(), "addCartItems", vars("integrationId", integrationId,
                                    "expectedVersion", version, "items", List.of(Map.of("sku", "s" + step, "quantity", 1, "price", "1.5"))));
                            payload = "/data/addCartItems";
                        }
                        default -> {
                            what = "read " + step;
                            response = post(port, shop.authorization(), "customerSession", vars("integrationId", integrationId));
                            payload = null;
                        }
                    }
                    JsonNode answer = response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
                    if (answer == null || answer.has("errors")
                            || (payload != null && !answer.at(payload + "/userErrors").isEmpty())) {
                        failures.add(integrationId + " " + what + ": HTTP " + response.statusCode() + " " + response.body());
                        resync();
                        continue;
                    }
                    JsonNode session = payload == null ? answer.at("/data/customerSession") : answer.at(payload + "/customerSession");
                    int expected = payload == null ? version : version + 1;
                    if (session.path("version").asInt() != expected) {
                        failures.add(integrationId + " " + what + ": version " + session.path("version") + ", expected " + expected);
                        resync();
                        continue;
                    }
                    version = expected;
                    switch (step % 3) {
                        case 0 -> {
                            referralCode = "r" + step;
                            counts.updates.incrementAndGet();
                        }
                        case 1 -> {
                            skus.add("s" + step);
                            counts.lineOperations.incrementAndGet();
                        }
                        default -> counts.reads.incrementAndGet();
                    }
                    counts.ok.incrementAndGet();
                } catch (Exception e) {
                    failures.add(integrationId + " " + what + ": " + e);
                    resync();
                }
            }
            return this;
        }

        /** After a failure, carries on from what is stored (read on the test framework's instance). */
        private void resync() {
            Map<String, Object> stored = shop.stored(integrationId);
            version = ((Number) stored.get("version")).intValue();
            referralCode = (String) stored.get("referralCode");
            skus.clear();
            skus.addAll(skusOf(stored));
        }

        /** Every acknowledged write is stored: the last referral code, every line added, and no change besides. */
        void assertStored(List<String> failures) {
            Map<String, Object> stored = shop.stored(integrationId);
            if (((Number) stored.get("version")).intValue() != version || !referralCode.equals(stored.get("referralCode"))
                    || !skus.equals(skusOf(stored))) {
                failures.add(integrationId + ": stored version " + stored.get("version") + " (acknowledged " + version
                        + "), referral code " + stored.get("referralCode") + " (" + referralCode + "), " + skusOf(stored).size()
                        + " lines (" + skus.size() + ")");
            }
        }

        @SuppressWarnings("unchecked")
        private static Set<String> skusOf(Map<String, Object> stored) {
            return ((List<Map<String, Object>>) stored.get("cartItems")).stream().map(item -> (String) item.get("sku"))
                    .collect(Collectors.toSet());
        }
    }
}
