package dev.customersessions.bench;

import static dev.customersessions.support.GraphQLClient.document;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.customersessions.bench.SessionBenchmark.Bodies;
import dev.customersessions.bench.SessionBenchmark.Data;
import dev.customersessions.bench.SessionBenchmark.Service;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A day in an hour, {@code ./mvnw verify -Dbenchmark -Dbenchmark.test=SoakBenchmark -Dsoak.minutes=60} (docs/soak.md):
 * the packaged service with the JVM image's options, on an embedded PostgreSQL 17, under a realistic mix of requests
 * (reads, whole-cart updates, line additions and removals, new sessions and their closes, listings) for a long time.
 * Its capacity for that mix is measured first (16 clients in a closed loop, or {@code -Dsoak.rate} gives the rate),
 * then the mix arrives at a fixed rate of {@code soak.load} (50 %) of it: an open model, each request's latency counted
 * from when it was due, so that a stall shows as the latency of everything that queued behind it. Every
 * {@code soak.sample-seconds} it records the service's resident memory, its heap after collections, the window's
 * latencies and errors, and the database connections; it writes them as CSV (target/soak.csv), draws them as an SVG
 * chart (docs/soak.svg, or {@code -Dsoak.chart}) and evaluates the targets after the warm-up in target/soak.txt: no
 * growth of memory, no error, a flat p99. Any error (a failed or wrong answer) fails it, after the files are written;
 * the other targets are reported, met or not.
 */
class SoakBenchmark {

    private static final Duration RUN = Duration.ofSeconds(Math.round(Double.parseDouble(System.getProperty("soak.minutes", "60")) * 60));
    private static final Duration WARM_UP = Duration.ofSeconds(Math.round(Double.parseDouble(
            System.getProperty("soak.warm-up-minutes", String.valueOf(Math.min(10, RUN.toSeconds() / 6 / 60.0)))) * 60));
    private static final Duration SAMPLE = Duration.ofSeconds(Long.getLong("soak.sample-seconds", 10));
    private static final Duration CAPACITY = Duration.ofSeconds(Long.getLong("soak.capacity-seconds", 40));
    private static final double LOAD = Double.parseDouble(System.getProperty("soak.load", "0.5"));
    private static final int CLIENTS = Integer.getInteger("benchmark.clients", 16);
    private static final int POOL = 200;
    /** Requests in flight beyond this are not sent but counted as errors: the service has stopped keeping up. */
    private static final int MAX_IN_FLIGHT = 2000;
    /** The memory limit of the JVM overlay's container (kubernetes/base/deployment.yaml); the JVM sizes itself as in it. */
    private static final int LIMIT_MIB = 768;
    private static final Path CHART = Path.of(System.getProperty("soak.chart", "docs/soak.svg"));
    private static final Pattern EXTRA_LINE = Pattern.compile("\"lineId\":\"(\\d+)\",\"sku\":\"EXTRA\"");

    /** The mix, in percent of requests. */
    enum Kind {
        READ(40), LIST(10), UPDATE(20), LINE(20), START(5), CLOSE(5);

        final int percent;

        Kind(int percent) {
            this.percent = percent;
        }
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String read = document("readSession");
    private final String update = SessionBenchmark.resource("bench/service-update.graphql");
    private final String operations = SessionBenchmark.resource("bench/soak-operations.graphql");
    private final int[] extraLine = new int[POOL];
    private final AtomicBoolean[] lineBusy = new AtomicBoolean[POOL];
    private final AtomicInteger nextLine = new AtomicInteger();
    private final AtomicLong nextUpdate = new AtomicLong();
    private final AtomicLong started = new AtomicLong();
    private final ConcurrentLinkedQueue<String> open = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicReference<String> firstError = new AtomicReference<>();
    private volatile Window window = new Window();
    private final SlowStatements slowStatements = new SlowStatements();
    private final Window capacityErrors = new Window();
    private String key;
    private Service service;

    @Test
    void soak() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setServerConfig("max_connections", "200").start();
                Connection db = DriverManager.getConnection(postgres.getJdbcUrl("postgres", "postgres"))) {
            // The image's JVM options, sized as in its container (the JVM reads the limit from the cgroup there), and a
            // GC log to read pauses from afterwards.
            service = Service.start(postgres.getJdbcUrl("postgres", "postgres"), List.of("-XX:+ExitOnOutOfMemoryError",
                    "-XX:MaxRAM=" + LIMIT_MIB + "m", "-Xlog:gc:file=" + Path.of("target/soak-gc.log").toAbsolutePath()));
            try (Service running = service) {
                service.awaitAnswer(http);
                load();
                // Statistics, as a database in service has them (autovacuum would take its time): without them the
                // planner's estimates for the just-filled tables are those of empty ones.
                try (Statement analyze = db.createStatement()) {
                    analyze.execute("vacuum analyze");
                }
                slowStatements.start(postgres.getJdbcUrl("postgres", "postgres"));
                double capacity = Double.parseDouble(System.getProperty("soak.rate", "0")) > 0 ? 0 : capacity();
                double rate = capacity > 0 ? capacity * LOAD : Double.parseDouble(System.getProperty("soak.rate"));
                List<Sample> samples = drive(rate, db);
                slowStatements.close();
                Files.writeString(Path.of("target/soak-metrics.txt"), scrape(), StandardCharsets.UTF_8);
                String summary = summary(samples, capacity, rate);
                System.out.println(summary);
                Files.writeString(Path.of("target/soak.txt"), summary, StandardCharsets.UTF_8);
                Files.writeString(Path.of("target/soak.csv"), csv(samples), StandardCharsets.UTF_8);
                Files.createDirectories(CHART.toAbsolutePath().getParent());
                Files.writeString(CHART, chart(samples, rate), StandardCharsets.UTF_8);
                long errors = samples.stream().mapToLong(Sample::errors).sum() + capacityErrors.errors.get();
                if (errors > 0) {
                    throw new IllegalStateException(errors + " errors; the first: " + firstError.get());
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ the mix

    /** The application, and the sessions the mix works on: soak-upd-i (whole-cart updates and reads), soak-line-i (lines). */
    private void load() throws Exception {
        Map<String, String> app = Data.createApplication(http, service.endpoint(), "soak");
        for (Map<String, String> cost : List.of(Map.of("name", "shipping", "title", "Shipping", "scope", "SESSION"),
                Map.of("name", "wrap", "title", "Gift wrap", "scope", "ITEM"))) {
            Data.post(http, service.endpoint(), Data.MANAGEMENT, document("defineAdditionalCost"), Map.of("applicationId", app.get("id"), "input", cost));
        }
        key = "ApiKey-v1 " + app.get("key");
        for (int i = 0; i < POOL; i++) {
            Data.post(http, service.endpoint(), key, update, Map.of("integrationId", "soak-upd-" + i, "input", Bodies.input(10, 1)));
            Data.post(http, service.endpoint(), key, update, Map.of("integrationId", "soak-line-" + i, "input", Bodies.input(10, 1)));
            lineBusy[i] = new AtomicBoolean();
        }
    }

    /** Sends one request of the kind; completes with null when its answer is right, else with what was wrong. */
    private CompletableFuture<String> send(Kind kind) {
        long n = nextUpdate.getAndIncrement();
        return switch (kind) {
            case READ -> post(read, null, Map.of("integrationId", "soak-upd-" + (n * 7919 % POOL)), "\"total\":\"");
            case LIST -> post(operations, "List", Map.of("first", 20), "\"hasNextPage\":true");
            case UPDATE -> post(update, null, Map.of("integrationId", "soak-upd-" + (n % POOL), "input", Bodies.input(10, 1 + (int) (n / POOL % 2))),
                    "\"userErrors\":[]");
            case LINE -> line();
            case START -> {
                String id = "soak-new-" + started.incrementAndGet();
                yield post(update, null, Map.of("integrationId", id, "input", Bodies.input(10, 1)), "\"userErrors\":[]")
                        .thenApply(error -> {
                            if (error == null) {
                                open.add(id);
                            }
                            return error;
                        });
            }
            case CLOSE -> {
                String id = open.poll();
                yield id == null ? send(Kind.START) : post(operations, "Close", Map.of("integrationId", id), "\"state\":\"closed\"");
            }
        };
    }

    /** A line added to one of the line sessions, or the line added before removed again; each session one at a time. */
    private CompletableFuture<String> line() {
        for (int tries = 0; tries < POOL; tries++) {
            int i = Math.floorMod(nextLine.getAndIncrement(), POOL);
            if (lineBusy[i].compareAndSet(false, true)) {
                CompletableFuture<String> answer;
                if (extraLine[i] == 0) {
                    answer = post(operations, "AddLine", Map.of("integrationId", "soak-line-" + i, "items",
                            List.of(Map.of("sku", "EXTRA", "name", "Extra", "quantity", 1, "price", "2.50"))), "\"userErrors\":[]", body -> {
                                Matcher m = EXTRA_LINE.matcher(body);
                                extraLine[i] = m.find() ? Integer.parseInt(m.group(1)) : 0;
                            });
                } else {
                    answer = post(operations, "RemoveLine", Map.of("integrationId", "soak-line-" + i, "lineIds", List.of(String.valueOf(extraLine[i]))),
                            "\"userErrors\":[]", body -> extraLine[i] = 0);
                }
                return answer.whenComplete((error, failure) -> lineBusy[i].set(false));
            }
        }
        return send(Kind.READ); // every line session busy: the service is far behind
    }

    private CompletableFuture<String> post(String query, String operation, Map<String, ?> variables, String expected) {
        return post(query, operation, variables, expected, body -> { });
    }

    private CompletableFuture<String> post(String query, String operation, Map<String, ?> variables, String expected,
            Consumer<String> onAnswer) {
        Map<String, Object> body = new HashMap<>(Map.of("query", query, "variables", variables));
        if (operation != null) {
            body.put("operationName", operation);
        }
        HttpRequest request = HttpRequest.newBuilder(service.endpoint()).timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .header("Authorization", key).POST(HttpRequest.BodyPublishers.ofString(Json.object(body))).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((response, failure) -> {
            if (failure != null) {
                return failure.toString();
            }
            String answer = response.body();
            if (response.statusCode() != 200 || answer.contains("\"errors\"") || !answer.contains(expected)) {
                return response.statusCode() + " " + answer.substring(0, Math.min(300, answer.length()));
            }
            onAnswer.accept(answer);
            return null;
        });
    }

    private Kind pick(SplittableRandom random) {
        int r = random.nextInt(100);
        for (Kind kind : Kind.values()) {
            r -= kind.percent;
            if (r < 0) {
                return kind;
            }
        }
        throw new IllegalStateException();
    }

    // -------------------------------------------------------------------------------------------- load phases

    /** The mix's throughput with {@code CLIENTS} clients in a closed loop (the first quarter not counted): requests per second. */
    private double capacity() throws Exception {
        AtomicLong done = new AtomicLong();
        long start = System.nanoTime();
        long counted = start + CAPACITY.toNanos() / 4;
        long end = start + CAPACITY.toNanos();
        AtomicLong countedFrom = new AtomicLong();
        EventsBenchmark.inParallel(CLIENTS, () -> {
            SplittableRandom random = new SplittableRandom(Thread.currentThread().getId());
            while (System.nanoTime() < end) {
                String error = send(pick(random)).get(60, TimeUnit.SECONDS);
                if (error != null) {
                    error(capacityErrors, "while measuring the capacity: " + error);
                }
                if (System.nanoTime() >= counted) {
                    countedFrom.compareAndSet(0, System.nanoTime());
                    done.incrementAndGet();
                }
            }
        });
        return done.get() / ((System.nanoTime() - countedFrom.get()) / 1e9);
    }

    /** Requests and errors of one sampling window, latencies from when each request was due. */
    static final class Window {
        private long[] latencies = new long[1024];
        private int count;
        final AtomicLong errors = new AtomicLong();

        synchronized void record(long nanos) {
            if (count == latencies.length) {
                latencies = Arrays.copyOf(latencies, count * 2);
            }
            latencies[count++] = nanos;
        }

        synchronized long[] sorted() {
            long[] sorted = Arrays.copyOf(latencies, count);
            Arrays.sort(sorted);
            return sorted;
        }
    }

    record Sample(double seconds, int requests, long errors, long[] latencies, double rssMiB, double heapAfterGcMiB, double heapUsedMiB,
            long majorGcs, int dbConnections, int poolActive, int poolAwaiting) {

        double p(double quantile) {
            return quantile(latencies, quantile);
        }
    }

    /** The mix at a fixed arrival rate for the run, sampled every {@code SAMPLE}. */
    private List<Sample> drive(double rate, Connection db) throws Exception {
        List<Sample> samples = new ArrayList<>();
        long interval = (long) (1e9 / rate);
        long start = System.nanoTime();
        long end = start + RUN.toNanos();
        Thread arrivals = new Thread(() -> {
            SplittableRandom random = new SplittableRandom(42);
            for (long i = 0; ; i++) {
                long due = start + i * interval;
                if (due >= end) {
                    return;
                }
                LockSupport.parkNanos(due - System.nanoTime());
                Window current = window;
                if (inFlight.incrementAndGet() > MAX_IN_FLIGHT) {
                    inFlight.decrementAndGet();
                    error(current, "more than " + MAX_IN_FLIGHT + " requests in flight");
                    continue;
                }
                send(pick(random)).whenComplete((error, failure) -> {
                    inFlight.decrementAndGet();
                    current.record(System.nanoTime() - due);
                    if (error != null || failure != null) {
                        error(current, error != null ? error : failure.toString());
                    }
                });
            }
        }, "soak-arrivals");
        arrivals.start();
        for (long next = start + SAMPLE.toNanos(); next <= end + SAMPLE.toNanos() / 2; next += SAMPLE.toNanos()) {
            LockSupport.parkNanos(next - System.nanoTime());
            Window finished = window;
            window = new Window();
            samples.add(sample((System.nanoTime() - start) / 1e9, finished, db));
        }
        arrivals.join();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        return samples;
    }

    private void error(Window window, String error) {
        window.errors.incrementAndGet();
        firstError.compareAndSet(null, error);
    }

    private Sample sample(double seconds, Window finished, Connection db) throws Exception {
        String metrics = scrape();
        int connections;
        try (Statement s = db.createStatement(); ResultSet rows = s.executeQuery(
                "select count(*) from pg_stat_activity where backend_type = 'client backend' and pid <> pg_backend_pid()")) {
            rows.next();
            connections = rows.getInt(1);
        }
        long[] latencies = finished.sorted();
        return new Sample(seconds, latencies.length, finished.errors.get(), latencies, service.residentKiB() / 1024.0,
                metric(metrics, "jvm_gc_live_data_size_bytes", "") / 1048576, metric(metrics, "jvm_memory_used_bytes", "area=\"heap\"") / 1048576,
                (long) metric(metrics, "jvm_gc_pause_seconds_count", "action=\"end of major GC\""), connections,
                (int) metric(metrics, "agroal_active_count", ""), (int) metric(metrics, "agroal_awaiting_count", ""));
    }

    private String scrape() throws Exception {
        return http.send(HttpRequest.newBuilder(service.metrics()).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** The sum of a metric's series whose labels contain {@code labels} (-1 when it has none). */
    static double metric(String scrape, String name, String labels) {
        double sum = 0;
        boolean found = false;
        for (String line : scrape.split("\n")) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                if (line.contains(labels)) {
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                    found = true;
                }
            }
        }
        return found ? sum : -1;
    }

    // ------------------------------------------------------------------------------------------------ reports

    private String summary(List<Sample> samples, double capacity, double rate) {
        StringBuilder out = new StringBuilder();
        List<Sample> after = samples.stream().filter(s -> s.seconds() > WARM_UP.toSeconds()).toList();
        int quarter = Math.max(1, after.size() / 4);
        List<Sample> first = after.subList(0, Math.min(quarter, after.size()));
        List<Sample> last = after.subList(Math.max(0, after.size() - quarter), after.size());
        long requests = samples.stream().mapToLong(Sample::requests).sum();
        long errors = samples.stream().mapToLong(Sample::errors).sum() + capacityErrors.errors.get();
        out.append(String.format(Locale.ROOT, "customer-sessions soak, %s: %.1f minutes at %.0f requests/s (%s), mix %s%n", Instant.now(),
                RUN.toSeconds() / 60.0, rate, capacity > 0 ? String.format(Locale.ROOT, "%.0f %% of the %.0f/s measured", LOAD * 100, capacity)
                        : "as given", Arrays.toString(Kind.values()).replaceAll("[\\[\\]]", "")));
        out.append(String.format(Locale.ROOT, "machine: %s; service JVM: %s -XX:+ExitOnOutOfMemoryError -XX:MaxRAM=%dm, MALLOC_ARENA_MAX=2%n",
                SessionBenchmark.machine(), Service.JVM_OPTIONS, LIMIT_MIB));
        out.append(String.format(Locale.ROOT, "%d requests, %d errors (%d while measuring the capacity); warm-up %.1f min, then %d samples of %d s; "
                + "quarters compared: the first and the last %d samples after the warm-up%n", requests, errors, capacityErrors.errors.get(), WARM_UP.toSeconds() / 60.0,
                after.size(), SAMPLE.toSeconds(), quarter));
        if (firstError.get() != null) {
            out.append("first error: ").append(firstError.get()).append('\n');
        }
        if (after.size() < 4) {
            return out.append("too short a run after the warm-up to evaluate the targets\n").toString();
        }
        out.append("target                                         first quarter  last quarter   slope/hour  met\n");
        growth(out, "resident memory, MiB (≤ +5 %)", first, last, after, Sample::rssMiB);
        long majorAfter = after.get(after.size() - 1).majorGcs() - first.get(0).majorGcs();
        if (majorAfter > 0) {
            growth(out, "heap after major GC, MiB (≤ +5 %)", first, last, after, Sample::heapAfterGcMiB);
        } else {
            out.append("heap after major GC                            no major collection after the warm-up: not evaluated\n");
        }
        double p99First = quantile(merged(first), 0.99);
        double p99Last = quantile(merged(last), 0.99);
        out.append(String.format(Locale.ROOT, "%-46s %13.1f %13.1f %12s  %s%n", "p99 latency, ms (last ≤ 1.25 × first)", p99First, p99Last, "",
                p99Last <= 1.25 * p99First ? "yes" : "no"));
        out.append(String.format(Locale.ROOT, "%-46s %13d %13d %12s  %s%n", "errors (none)", first.stream().mapToLong(Sample::errors).sum(),
                last.stream().mapToLong(Sample::errors).sum(), "", errors == 0 ? "yes" : "no"));
        out.append(String.format(Locale.ROOT, "%-46s %13.0f %13.0f %12s  %s%n", "database connections (no growth)",
                first.stream().mapToInt(Sample::dbConnections).max().orElse(0) * 1.0, last.stream().mapToInt(Sample::dbConnections).max().orElse(0) * 1.0,
                "", last.stream().mapToInt(Sample::dbConnections).max().orElse(0) <= first.stream().mapToInt(Sample::dbConnections).max().orElse(0)
                        ? "yes" : "no"));
        out.append(slowStatements.describe());
        out.append(String.format(Locale.ROOT, "peak resident memory %.0f MiB (container limit %d MiB); major collections %d; pool waiters at most %d%n",
                samples.stream().mapToDouble(Sample::rssMiB).max().orElse(0), LIMIT_MIB, samples.get(samples.size() - 1).majorGcs(),
                samples.stream().mapToInt(Sample::poolAwaiting).max().orElse(0)));
        return out.toString();
    }

    private static void growth(StringBuilder out, String name, List<Sample> first, List<Sample> last, List<Sample> after, ToDoubleFunction<Sample> value) {
        double a = first.stream().mapToDouble(value).average().orElse(0);
        double b = last.stream().mapToDouble(value).average().orElse(0);
        out.append(String.format(Locale.ROOT, "%-46s %13.1f %13.1f %+12.1f  %s%n", name, a, b, slope(after, value) * 3600, b <= a * 1.05 ? "yes" : "no"));
    }

    /**
     * The service's statements that run longer than a second, seen by polling pg_stat_activity every second with what
     * they wait for: a stall's cause (a lock, I/O, the client) is there, not in the latencies. Listed in
     * target/soak-slow-statements.txt.
     */
    static final class SlowStatements {
        private final List<String> seen = Collections.synchronizedList(new ArrayList<>());
        private volatile boolean running = true;
        private Thread thread;

        void start(String jdbcUrl) {
            thread = new Thread(() -> {
                try (Connection c = DriverManager.getConnection(jdbcUrl); Statement s = c.createStatement()) {
                    while (running) {
                        try (ResultSet rows = s.executeQuery("select pid, query_start, extract(epoch from now() - query_start)::int, wait_event_type, "
                                + "wait_event, left(regexp_replace(query, '\\s+', ' ', 'g'), 160) from pg_stat_activity where state = 'active' "
                                + "and pid <> pg_backend_pid() and backend_type = 'client backend' and now() - query_start > interval '1 second'")) {
                            while (rows.next()) {
                                seen.add(String.format(Locale.ROOT, "pid %d started %s, running %d s, waiting for %s/%s: %s", rows.getInt(1),
                                        rows.getTimestamp(2).toInstant(), rows.getInt(3), rows.getString(4), rows.getString(5), rows.getString(6)));
                            }
                        }
                        Thread.sleep(1000);
                    }
                } catch (Exception e) {
                    seen.add("stopped watching: " + e);
                }
            }, "soak-slow-statements");
            thread.setDaemon(true);
            thread.start();
        }

        void close() throws Exception {
            running = false;
            thread.join(5000);
            Files.write(Path.of("target/soak-slow-statements.txt"), seen, StandardCharsets.UTF_8);
        }

        String describe() {
            long statements = seen.stream().filter(line -> line.startsWith("pid ")).map(line -> line.substring(0, line.indexOf(','))).distinct().count();
            return String.format(Locale.ROOT, "statements running over 1 s, seen by polling every second: %d (target/soak-slow-statements.txt)%n",
                    statements);
        }
    }

    /** Least-squares slope of the value over the samples' seconds. */
    static double slope(List<Sample> samples, ToDoubleFunction<Sample> value) {
        double n = samples.size();
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (Sample s : samples) {
            double x = s.seconds();
            double y = value.applyAsDouble(s);
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
        }
        return (n * sxy - sx * sy) / (n * sxx - sx * sx);
    }

    private static long[] merged(List<Sample> samples) {
        return samples.stream().flatMapToLong(s -> Arrays.stream(s.latencies())).sorted().toArray();
    }

    /** The quantile of sorted nanoseconds, in milliseconds. */
    static double quantile(long[] sorted, double quantile) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) (sorted.length * quantile))] / 1e6;
    }

    private static String csv(List<Sample> samples) {
        StringBuilder csv = new StringBuilder("seconds,requests,errors,p50_ms,p99_ms,max_ms,rss_mib,heap_after_gc_mib,heap_used_mib,major_gcs,"
                + "db_connections,pool_active,pool_awaiting\n");
        for (Sample s : samples) {
            csv.append(String.format(Locale.ROOT, "%.0f,%d,%d,%.2f,%.2f,%.2f,%.1f,%.1f,%.1f,%d,%d,%d,%d%n", s.seconds(), s.requests(), s.errors(),
                    s.p(0.5), s.p(0.99), s.p(1.0), s.rssMiB(), s.heapAfterGcMiB(), s.heapUsedMiB(), s.majorGcs(), s.dbConnections(),
                    s.poolActive(), s.poolAwaiting()));
        }
        return csv.toString();
    }

    // -------------------------------------------------------------------------------------------------- chart

    private static final int WIDTH = 900;
    private static final int PANEL = 190;
    private static final int LEFT = 70;
    private static final int TOP = 50;

    /** Three panels over the run's minutes: memory, latency, errors and connections; the warm-up's end dashed. */
    private String chart(List<Sample> samples, double rate) {
        StringBuilder svg = new StringBuilder(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">%n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%n", WIDTH, TOP + 3 * (PANEL + 40)));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"22\" font-size=\"15\">customer-sessions soak, %s: %.0f minutes at %.0f requests/s "
                + "(JVM image options, %d MiB limit)</text>%n", LEFT, Instant.now().toString().substring(0, 10), RUN.toSeconds() / 60.0, rate, LIMIT_MIB));
        panel(svg, 0, "memory, MiB", samples, List.of(new Series("resident", "#1f77b4", Sample::rssMiB),
                new Series("heap after major GC", "#2ca02c", Sample::heapAfterGcMiB), new Series("heap used", "#bbbbbb", Sample::heapUsedMiB)));
        panel(svg, 1, "latency per window, ms", samples, List.of(new Series("p99", "#d62728", s -> s.p(0.99)),
                new Series("p50", "#ff9896", s -> s.p(0.5))));
        panel(svg, 2, "errors per window; database connections", samples, List.of(new Series("errors", "#d62728", s -> s.errors()),
                new Series("connections", "#9467bd", s -> s.dbConnections()), new Series("pool active", "#c5b0d5", s -> s.poolActive())));
        return svg.append("</svg>\n").toString();
    }

    record Series(String name, String color, ToDoubleFunction<Sample> value) {
    }

    private static void panel(StringBuilder svg, int index, String title, List<Sample> samples, List<Series> series) {
        int top = TOP + index * (PANEL + 40);
        int width = WIDTH - LEFT - 20;
        double maxX = Math.max(1, samples.get(samples.size() - 1).seconds());
        double maxY = niceCeiling(series.stream().flatMapToDouble(s -> samples.stream().mapToDouble(s.value())).max().orElse(1));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">%s</text>%n", LEFT, top - 6, title));
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>%n", LEFT, top, width, PANEL));
        for (int t = 0; t <= 4; t++) {
            double y = top + PANEL - PANEL * t / 4.0;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#eee\"/><text x=\"%d\" y=\"%.1f\" "
                    + "text-anchor=\"end\">%s</text>%n", LEFT, LEFT + width, y, y, LEFT - 5, y + 4, label(maxY * t / 4)));
        }
        double step = niceCeiling(maxX / 60 / 8) * 60;
        for (double x = 0; x <= maxX; x += step) {
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s min</text>%n", LEFT + width * x / maxX,
                    top + PANEL + 15, label(x / 60)));
        }
        double warmX = LEFT + width * Math.min(1, WARM_UP.toSeconds() / maxX);
        svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"#666\" stroke-dasharray=\"4 4\"/>%n",
                warmX, warmX, top, top + PANEL));
        int legendX = LEFT + width;
        for (int i = series.size() - 1; i >= 0; i--) {
            Series s = series.get(i);
            StringBuilder points = new StringBuilder();
            for (Sample sample : samples) {
                double v = Math.max(0, s.value().applyAsDouble(sample));
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", LEFT + width * sample.seconds() / maxX, top + PANEL - PANEL * v / maxY));
            }
            svg.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" points=\"%s\"/>%n", s.color(),
                    points.toString().trim()));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" fill=\"%s\">%s</text>%n", legendX, top - 6, s.color(),
                    s.name()));
            legendX -= 7 * s.name().length() + 20;
        }
    }

    /** 1, 2 or 5 times a power of ten, at least the value. */
    private static double niceCeiling(double value) {
        if (value <= 0) {
            return 1;
        }
        double power = Math.pow(10, Math.floor(Math.log10(value)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * power >= value) {
                return m * power;
            }
        }
        return 10 * power;
    }

    private static String label(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.format(Locale.ROOT, "%.1f", value);
    }
}
