package dev.customersessions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.customersessions.support.PostgresPair;
import dev.customersessions.support.SecondInstance;
import dev.customersessions.support.TcpForwarder;
import dev.customersessions.support.TestApplication;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;

/**
 * The packaged service on a PostgreSQL primary with a synchronous streaming standby, under 16 writers and 4 readers,
 * while the primary goes away and the standby is promoted, as CloudNativePG does on a switchover (every minor upgrade)
 * and a failover (a node lost). Twice: with a multi-host JDBC URL ({@code targetServerType=primary}) and a clean
 * switchover (the primary stopped {@code fast}), and with one address that moves to the new primary, as the {@code -rw}
 * Service does, and a crash (stopped {@code immediate}).
 *
 * <p>Asserted: no write the service acknowledged is lost; a request that fails during the switch fails with a typed,
 * retryable code ({@code UNAVAILABLE}, {@code BUSY}, or {@code OUTCOME_UNKNOWN} for a commit whose outcome the broken
 * connection hid) and {@code Retry-After}, never {@code INTERNAL}; writes succeed again within 500 ms of the promotion,
 * without a restart; the cache listener is back on the new primary (caches bypassed until then); the log has one line
 * per kind of failure, and no stack trace. The clients retry a failed write with its {@code Idempotency-Key}.
 */
class FailoverIT {

    private static final int PORT = 8095;
    private static final int MANAGEMENT_PORT = 9095;
    private static final int WRITERS = 16;
    private static final int READERS = 4;
    private static final Duration PROMOTED_TO_WRITING = Duration.ofMillis(500);
    private static final List<String> RETRYABLE = List.of("UNAVAILABLE", "BUSY", "OUTCOME_UNKNOWN");

    private static final String UPDATE = "mutation($id: String!, $input: CustomerSessionInput!) { updateCustomerSession(integrationId: $id, "
            + "input: $input) { customerSession { version cartItems { quantity } } userErrors { code message } } }";
    private static final String READ = "query($id: String!) { customerSession(integrationId: $id) { version total cartItems { quantity } } }";

    @Test
    void aSwitchoverWithAMultiHostUrlLosesNoAcknowledgedWriteAndAnswersOnlyRetryableCodes() throws Exception {
        switchPrimary("switchover", true, "fast");
    }

    @Test
    void aCrashFailoverBehindOneMovingAddressLosesNoAcknowledgedWrite() throws Exception {
        switchPrimary("failover", false, "immediate");
    }

    private void switchPrimary(String name, boolean multiHost, String stopMode) throws Exception {
        Path root = Path.of("target", "failover-" + name);
        try (PostgresPair pair = PostgresPair.start(root, freePort(), freePort(), true);
                TcpForwarder rw = new TcpForwarder(pair.primaryPort)) {
            String url = multiHost ? pair.multiHostUrl() : "jdbc:postgresql://127.0.0.1:" + rw.port() + "/postgres";
            Path log = Path.of("target", "failover-" + name + ".log");
            try (SecondInstance service = SecondInstance.start(PORT, MANAGEMENT_PORT, url, "failover-" + name, Map.of(), List.of())) {
                TestApplication shop = onPort(PORT, TestApplication::create);
                Load load = new Load(shop.authorization());
                load.start();
                Thread.sleep(5000);
                assertTrue(load.acknowledged() > 50, "the load runs before the switch: " + load.acknowledged() + " writes, failures "
                        + load.failureCounts() + " " + load.failures.stream().limit(3).toList());
                assertEquals(1, cacheListening(service), "the cache listener is up before the switch");
                long logBefore = Files.size(log);

                pair.stopPrimary(stopMode);
                long stopped = System.nanoTime();
                Thread.sleep(1000); // the operator notices, and picks the standby
                boolean bypassedDuringOutage = cacheListening(service) == 0;
                pair.promoteStandby();
                rw.switchTo(pair.standbyPort);
                long promoted = System.nanoTime();
                load.watchFrom = promoted;
                long listenerBack = awaitCacheListener(service, promoted);
                Thread.sleep(3000);
                load.stop();

                // When the service's first write committed on the new primary (its commit timestamp, kept for this), after the
                // new primary was ready: what the service adds to the promotion, whatever its requests' own latency.
                java.time.Instant ready = pair.standbyReadyAt();
                java.time.Instant firstCommit;
                try (java.sql.Connection db = java.sql.DriverManager.getConnection(pair.standbyUrl());
                        java.sql.PreparedStatement first = db.prepareStatement("select min(pg_xact_commit_timestamp(xmin)) from session_event "
                                + "where pg_xact_commit_timestamp(xmin) > ?")) {
                    first.setObject(1, java.time.OffsetDateTime.ofInstant(ready, java.time.ZoneOffset.UTC));
                    try (java.sql.ResultSet rows = first.executeQuery()) {
                        rows.next();
                        firstCommit = rows.getObject(1, java.time.OffsetDateTime.class).toInstant();
                    }
                }
                Duration readyToWriting = Duration.between(ready, firstCommit);
                String switchLog = Files.readString(log).substring((int) logBefore);
                long firstWriteAfter = load.firstAcknowledgedAfter(promoted);
                System.out.printf("%s: %d writes acknowledged, %d failed answers %s, first write committed %d ms after the new primary was "
                        + "ready, first write answered %d ms after the promotion (stopped %d ms before it), cache listener back after %d ms, "
                        + "%d log lines in the switch%n", name, load.acknowledged(), load.failures.size(), load.failureCounts(),
                        readyToWriting.toMillis(), (firstWriteAfter - promoted) / 1_000_000,
                        (promoted - stopped) / 1_000_000, (listenerBack - promoted) / 1_000_000, switchLog.lines().count());
                System.out.println(switchLog);
                System.out.println("first answers after the promotion (ms sent..answered): " + load.watched.stream().limit(30).toList());

                assertTrue(service.isAlive(), "the service needs no restart");
                List<String> untyped = load.failures.stream().filter(f -> !RETRYABLE.contains(f.code) || !f.retryAfter).map(Failure::toString).toList();
                assertEquals(List.of(), untyped, "every failed request is answered with a retryable code and Retry-After");
                assertTrue(readyToWriting.compareTo(PROMOTED_TO_WRITING) <= 0, "writes again within " + PROMOTED_TO_WRITING.toMillis()
                        + " ms of the promotion: " + readyToWriting.toMillis() + " ms");
                assertTrue(bypassedDuringOutage, "the caches are bypassed while the listener is down");
                assertTrue(listenerBack > 0, "the cache listener is back on the new primary");
                assertEquals(0, switchLog.lines().filter(line -> line.startsWith("\tat ")).count(), "no stack trace in the switch:\n" + switchLog);
                Map<String, Long> kinds = switchLog.lines().filter(line -> line.contains(" answered ")).collect(Collectors.groupingBy(
                        line -> line.replaceAll(".* answered ([A-Z_]+ \\([^)]*\\)).*", "$1"), TreeMap::new, Collectors.counting()));
                kinds.forEach((kind, lines) -> assertEquals(1L, lines, "one line per kind of failure: " + kind + "\n" + switchLog));

                // Every acknowledged write is stored: each writer's session holds its last acknowledged quantity.
                for (int writer = 0; writer < WRITERS; writer++) {
                    JsonPath session = load.send(Load.json(READ, "{\"id\":\"w" + writer + "\"}"), null).json;
                    assertEquals(load.lastAcknowledged.get(writer), session.getLong("data.customerSession.cartItems[0].quantity"),
                            "writer " + writer + "'s last acknowledged write is stored: " + session.prettify());
                }
            }
        }
    }

    /** 16 writers, each on a session of its own, raising its one item's quantity by one per acknowledged write, and 4 readers. */
    private static final class Load {
        final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
        final String authorization;
        final AtomicLongArray lastAcknowledged = new AtomicLongArray(WRITERS);
        final ConcurrentLinkedQueue<Long> acknowledgedAt = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<Failure> failures = new ConcurrentLinkedQueue<>();
        final AtomicLong count = new AtomicLong();
        final List<Thread> threads = new ArrayList<>();
        volatile boolean running = true;
        volatile long watchFrom = Long.MAX_VALUE;
        final ConcurrentLinkedQueue<String> watched = new ConcurrentLinkedQueue<>();

        Load(String authorization) {
            this.authorization = authorization;
        }

        void start() {
            for (int i = 0; i < WRITERS; i++) {
                int writer = i;
                threads.add(new Thread(() -> write(writer), "writer-" + writer));
            }
            for (int i = 0; i < READERS; i++) {
                threads.add(new Thread(this::read, "reader-" + i));
            }
            threads.forEach(Thread::start);
        }

        void write(int writer) {
            long quantity = 1;
            while (running) {
                String body = json(UPDATE, "{\"id\":\"w" + writer + "\",\"input\":{\"cartItems\":[{\"sku\":\"sku-1\",\"price\":\"2.50\",\"quantity\":"
                        + quantity + "}]}}");
                long sent = System.nanoTime();
                Answer answer = send(body, "w" + writer + "-" + quantity);
                if (answer.code == null && System.nanoTime() > watchFrom) {
                    watched.add((sent - watchFrom) / 1_000_000 + ".." + (System.nanoTime() - watchFrom) / 1_000_000 + " w");
                }
                if (answer.code == null && answer.json.getLong("data.updateCustomerSession.customerSession.cartItems[0].quantity") == quantity) {
                    lastAcknowledged.set(writer, quantity);
                    acknowledgedAt.add(System.nanoTime());
                    count.incrementAndGet();
                    quantity++;
                } else {
                    pause(); // then the same request again, under the same Idempotency-Key
                }
            }
        }

        void read() {
            while (running) {
                long sent = System.nanoTime();
                Answer answer = send(json(READ, "{\"id\":\"w" + ThreadLocalRandom.current().nextInt(WRITERS) + "\"}"), null);
                if (answer.code == null && System.nanoTime() > watchFrom) {
                    watched.add((sent - watchFrom) / 1_000_000 + ".." + (System.nanoTime() - watchFrom) / 1_000_000 + " r");
                }
                if (answer.code != null) {
                    pause();
                }
            }
        }

        Answer send(String body, String idempotencyKey) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + PORT + "/graphql")).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json").header("Authorization", authorization)
                    .POST(HttpRequest.BodyPublishers.ofString(body));
            if (idempotencyKey != null) {
                request.header("Idempotency-Key", idempotencyKey);
            }
            try {
                HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                JsonPath json = JsonPath.from(response.body());
                String code = json.get("errors") == null ? null : String.valueOf((Object) json.get("errors[0].extensions.code"));
                if (code == null && json.get("data.updateCustomerSession.userErrors[0]") != null) {
                    code = "userError " + json.getString("data.updateCustomerSession.userErrors[0].code");
                }
                if (code != null) {
                    failures.add(new Failure(code, response.headers().firstValue("Retry-After").isPresent(), response.statusCode(),
                            json.getString("errors[0].message")));
                }
                return new Answer(code, json);
            } catch (IOException e) {
                failures.add(new Failure("no answer", false, 0, e.toString()));
                return new Answer("no answer", null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Answer("interrupted", null);
            }
        }

        void stop() throws InterruptedException {
            running = false;
            for (Thread thread : threads) {
                thread.join(60_000);
            }
        }

        long acknowledged() {
            return count.get();
        }

        long firstAcknowledgedAfter(long nanos) {
            return acknowledgedAt.stream().filter(at -> at > nanos).min(Long::compare).orElse(Long.MAX_VALUE);
        }

        Map<String, Long> failureCounts() {
            return failures.stream().collect(Collectors.groupingBy(Failure::code, TreeMap::new, Collectors.counting()));
        }

        static String json(String query, String variables) {
            return "{\"query\":\"" + query.replace("\"", "\\\"") + "\",\"variables\":" + variables + "}";
        }

        private static void pause() {
            try {
                Thread.sleep(20); // a client retries at once here; a real one waits Retry-After
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    record Answer(String code, JsonPath json) {
    }

    record Failure(String code, boolean retryAfter, int status, String message) {
    }

    private static long cacheListening(SecondInstance service) {
        return service.metrics().lines().filter(line -> line.startsWith("customer_sessions_cache_listening"))
                .mapToLong(line -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).findFirst().orElse(-1);
    }

    /** When the cache listener is up again (nanoTime), or 0 if not within 5 s. */
    private static long awaitCacheListener(SecondInstance service, long promoted) throws InterruptedException {
        while (System.nanoTime() - promoted < 5_000_000_000L) {
            if (cacheListening(service) == 1) {
                return System.nanoTime();
            }
            Thread.sleep(50);
        }
        return 0;
    }

    private static <T> T onPort(int port, java.util.function.Supplier<T> call) {
        int before = RestAssured.port;
        RestAssured.port = port;
        try {
            return call.get();
        } finally {
            RestAssured.port = before;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
