package dev.customersessions.bench;

import static dev.customersessions.support.GraphQLClient.document;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

import org.junit.jupiter.api.Test;

import dev.customersessions.support.PackagedAppDatabase;
import dev.customersessions.support.TestApplication;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.RestAssured;

/**
 * The benchmark: the packaged application (production profile) on an embedded PostgreSQL, driven over HTTP from
 * this JVM. Run it with {@code ./mvnw verify -Dbenchmark}; it reports, and asserts nothing about time.
 *
 * <p>Each scenario runs in rounds; a round's figure is the median latency of its requests (one client) or its
 * throughput (several clients). Reported: the median of the rounds, the spread of the rounds, and each
 * scenario's ratio to the first one, all from the same run on the same machine.
 */
@QuarkusIntegrationTest
@WithTestResource(PackagedAppDatabase.class)
class SessionBenchmark {

    private static final int ROUNDS = Integer.getInteger("benchmark.rounds", 5);
    private static final int REQUESTS_PER_ROUND = Integer.getInteger("benchmark.requests", 200);
    private static final int CLIENTS = Integer.getInteger("benchmark.clients", 16);
    private static final int SPREAD = 64;
    private static final int CART_ITEMS = 20;

    private final HttpClient http = HttpClient.newHttpClient();
    private URI endpoint;
    private String authorization;
    /** An application with cart item flattening on. */
    private String flatAuthorization;

    @Test
    void measure() throws Exception {
        endpoint = URI.create(RestAssured.baseURI + ":" + RestAssured.port + "/graphql");
        TestApplication shop = TestApplication.create();
        authorization = shop.authorization();
        for (int i = 0; i < 100; i++) {
            send(update("listed-" + i, cart(1)));
        }
        send(update("changing", cart(1)));
        send(update("repeated", cart(1)));
        for (int i = 0; i < SPREAD; i++) {
            send(update("spread-" + i, cart(1)));
        }
        AtomicInteger counter = new AtomicInteger();
        send(query(authorization, "updateCustomerSessionBrief", Map.of("integrationId", "large", "input", Map.of("cartItems", largeCart(1, 1)))));
        TestApplication flat = TestApplication.create();
        flatAuthorization = flat.authorization();
        dev.customersessions.support.GraphQLClient.post(dev.customersessions.support.GraphQLClient.MANAGEMENT, "updateApplication",
                Map.of("id", String.valueOf(flat.id), "input", Map.of("cartItemFlattening", true)));
        send(query(flatAuthorization, "updateCustomerSessionBrief", Map.of("integrationId", "flat-read", "input", Map.of("cartItems", largeCart(1, 10)))));

        List<Scenario> scenarios = List.of(
                new Scenario("repeat an update (no change)", REQUESTS_PER_ROUND, i -> update("repeated", cart(1))),
                new Scenario("same, over " + SPREAD + " sessions", REQUESTS_PER_ROUND, i -> update("spread-" + i % SPREAD, cart(1))),
                new Scenario("update, changing the cart", REQUESTS_PER_ROUND, i -> update("changing", cart(2 + i % 2))),
                new Scenario("create a session", REQUESTS_PER_ROUND, i -> update("new-" + counter.incrementAndGet(), cart(1))),
                new Scenario("read one session with totals", REQUESTS_PER_ROUND, i -> query("customerSession", Map.of("integrationId", "changing"))),
                // 100 sessions of 20 items: a page is 2000 cart items, so fewer requests per round.
                new Scenario("list 100 sessions with carts", Math.max(1, REQUESTS_PER_ROUND / 5), i -> query("customerSessionsWithCarts", Map.of("first", 100))),
                // The cart limits: 1000 items per request; 10,000 units when flattened (answering version and totals).
                new Scenario("update a 1000-item cart", Math.max(1, REQUESTS_PER_ROUND / 10),
                        i -> query(authorization, "updateCustomerSessionBrief", Map.of("integrationId", "large", "input", Map.of("cartItems", largeCart(1 + i % 2, 1))))),
                new Scenario("store a flattened 10,000-unit cart", Math.max(1, REQUESTS_PER_ROUND / 40),
                        i -> query(flatAuthorization, "updateCustomerSessionBrief", Map.of("integrationId", "flat-" + counter.incrementAndGet(),
                                "input", Map.of("cartItems", largeCart(1, 10))))),
                new Scenario("read it: cart lines and totals", Math.max(1, REQUESTS_PER_ROUND / 20),
                        i -> query(flatAuthorization, "customerSessionCart", Map.of("integrationId", "flat-read"))),
                new Scenario("read it: every field", Math.max(1, REQUESTS_PER_ROUND / 20),
                        i -> query(flatAuthorization, "customerSession", Map.of("integrationId", "flat-read"))));

        for (Scenario scenario : scenarios) { // warm-up: JIT, connection pools, plan caches
            for (int i = 0; i < Math.min(300, 2 * scenario.requests); i++) {
                send(scenario.request.apply(i));
            }
        }
        StringBuilder report = new StringBuilder();
        report.append("customer-sessions benchmark\n");
        report.append("machine: ").append(machine()).append('\n');
        report.append(String.format("%d rounds of %d requests (fewer for the listing and the large carts); %d-item carts unless "
                + "named; throughput with %d concurrent clients%n%n", ROUNDS, REQUESTS_PER_ROUND, CART_ITEMS, CLIENTS));
        report.append(String.format("%-32s %12s %22s %8s %16s %8s%n", "scenario", "median ms", "rounds (min..max)", "ratio",
                "req/s (median)", "ratio"));
        double baseLatency = 0;
        double baseThroughput = 0;
        for (Scenario scenario : scenarios) {
            List<Double> latencies = new ArrayList<>();
            List<Double> throughputs = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
                latencies.add(latencyRound(scenario));
                throughputs.add(throughputRound(scenario));
            }
            double latency = median(latencies);
            double throughput = median(throughputs);
            if (baseLatency == 0) {
                baseLatency = latency;
                baseThroughput = throughput;
            }
            report.append(String.format("%-32s %12.2f %10.2f..%-10.2f %8.2f %16.0f %8.2f%n", scenario.name, latency,
                    Collections.min(latencies), Collections.max(latencies), latency / baseLatency, throughput,
                    throughput / baseThroughput));
        }
        report.append('\n').append(stallProbe()).append('\n');
        System.out.println("\n" + report);
        Files.writeString(Path.of("target", "benchmark.txt"), report.toString(), StandardCharsets.UTF_8);
    }

    /**
     * One writer waits on a session's row lock, held by another database connection; meanwhile 16 clients each read
     * another session. Counts the reads that were held up (over 500 ms; a read takes a few ms).
     */
    private String stallProbe() throws Exception {
        String url = PackagedAppDatabase.jdbcUrl();
        if (url == null) {
            return "lock stall probe: skipped (the application's database is external)";
        }
        send(update("locked", cart(1)));
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS + 1);
        List<Long> readMillis = new ArrayList<>();
        try (Connection lock = DriverManager.getConnection(url)) {
            lock.setAutoCommit(false);
            lock.createStatement().execute("select 1 from customer_session where integration_id = 'locked' for update");
            // The writer waits for the lock (up to the lock timeout) and is not checked: it may answer BUSY.
            Future<HttpResponse<String>> writer = clients.submit(() -> http.send(update("locked", cart(2)), HttpResponse.BodyHandlers.ofString()));
            Thread.sleep(200);
            List<Future<Long>> reads = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                reads.add(clients.submit(() -> {
                    long start = System.nanoTime();
                    send(query("customerSession", Map.of("integrationId", "changing")));
                    return (System.nanoTime() - start) / 1_000_000;
                }));
            }
            for (Future<Long> read : reads) {
                readMillis.add(read.get());
            }
            lock.rollback();
            writer.get();
        } finally {
            clients.shutdownNow();
        }
        long delayed = readMillis.stream().filter(ms -> ms > 500).count();
        return String.format("lock stall probe: %d of %d reads held up (> 500 ms) while one writer waited on a held row lock; slowest read %d ms",
                delayed, readMillis.size(), Collections.max(readMillis));
    }

    private double latencyRound(Scenario scenario) throws Exception {
        List<Double> millis = new ArrayList<>(scenario.requests);
        for (int i = 0; i < scenario.requests; i++) {
            HttpRequest request = scenario.request.apply(i);
            long start = System.nanoTime();
            send(request);
            millis.add((System.nanoTime() - start) / 1e6);
        }
        return median(millis);
    }

    private double throughputRound(Scenario scenario) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            AtomicInteger next = new AtomicInteger();
            long start = System.nanoTime();
            List<Future<Void>> done = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                done.add(clients.submit(() -> {
                    for (int i = next.getAndIncrement(); i < scenario.requests; i = next.getAndIncrement()) {
                        send(scenario.request.apply(i));
                    }
                    return null;
                }));
            }
            for (Future<Void> f : done) {
                f.get();
            }
            return scenario.requests / ((System.nanoTime() - start) / 1e9);
        } finally {
            clients.shutdownNow();
        }
    }

    /** Sends and checks the answer: a benchmark of failing requests would measure nothing. */
    private void send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200 || response.body().contains("\"errors\"") || response.body().contains("\"code\"")) {
            throw new IllegalStateException("request failed: " + response.body());
        }
    }

    private HttpRequest update(String integrationId, List<Map<String, Object>> cart) {
        return query("updateCustomerSession", Map.of("integrationId", integrationId, "input", Map.of("cartItems", cart,
                "couponCodes", List.of("WELCOME"), "additionalCosts", List.of(Map.of("name", "shipping", "price", "4.99")))));
    }

    private HttpRequest query(String documentName, Map<String, Object> variables) {
        return query(authorization, documentName, variables);
    }

    private HttpRequest query(String authorization, String documentName, Map<String, Object> variables) {
        String body = Json.object(Map.of("query", document(documentName), "variables", variables));
        return HttpRequest.newBuilder(endpoint).header("Content-Type", "application/json")
                .header("Authorization", authorization).POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static List<Map<String, Object>> cart(int firstQuantity) {
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < CART_ITEMS; i++) {
            items.add(Map.of("sku", "SKU-" + i, "name", "Item " + i, "quantity", i == 0 ? firstQuantity : 1,
                    "price", (i + 1) + ".99", "additionalCosts", List.of(Map.of("name", "handling", "price", "0.25"))));
        }
        return items;
    }

    /** 1000 items of {@code units} units each (the first has {@code firstUnits}), with a per-unit cost. */
    private static List<Map<String, Object>> largeCart(int firstUnits, int units) {
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            items.add(Map.of("sku", "SKU-" + i, "name", "Item " + i, "quantity", i == 0 ? firstUnits * units : units,
                    "price", (i % 50 + 1) + ".99", "additionalCosts", List.of(Map.of("name", "handling", "price", "0.25"))));
        }
        return items;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String machine() {
        String cpu = "unknown CPU";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(cpu);
        } catch (IOException e) {
            // not Linux: leave it unknown
        }
        return Runtime.getRuntime().availableProcessors() + " cores, " + cpu + ", "
                + (Runtime.getRuntime().maxMemory() >> 20) + " MiB max heap (client), Java " + System.getProperty("java.version")
                + ", " + System.getProperty("os.name") + " " + System.getProperty("os.arch");
    }

    private record Scenario(String name, int requests, IntFunction<HttpRequest> request) {
    }
}
