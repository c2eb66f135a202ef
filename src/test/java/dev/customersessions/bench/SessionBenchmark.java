package dev.customersessions.bench;

import static dev.customersessions.support.GraphQLClient.document;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

import org.junit.jupiter.api.Test;

import dev.customersessions.support.PgBouncer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The side-by-side benchmark, {@code ./mvnw verify -Dbenchmark}: on one embedded PostgreSQL 17 with the same data, in one
 * run, (1) the packaged service as the Kubernetes Deployment runs it (JVM sized for its 512 MiB limit), (2) the
 * database's own limit, the fewest SQL statements that return the same data (or make the same change) driven straight
 * over JDBC, and (3) PostGraphile 4, started here with npm on the service's tables (through views and computed-column
 * functions in a scratch schema, dropped at the end). Each scenario: 16 concurrent clients, rounds of a few seconds,
 * medians of the rounds; SQL statements per request counted by the database (pg_stat_statements). Also printed: the
 * service's start to its first answer, its throughput in the first minute after start, and its resident memory.
 *
 * <p>Reports, asserts nothing about time (a result that is wrong fails it). Needs Node.js and npm for the PostGraphile
 * column (left out, with a note, when they are missing). The JVM package only (target/quarkus-app, with its JVM
 * options and class data sharing archive): it is what the JVM targets are about, and it runs only under
 * -Dbenchmark, never under -Dnative.
 */
class SessionBenchmark {

    private static final int CLIENTS = Integer.getInteger("benchmark.clients", 16);
    /** Runs: in each, every scenario is measured on every system, the system that goes first rotating. */
    static final int RUNS = Integer.getInteger("benchmark.runs", 3);
    static final int ROUNDS = Integer.getInteger("benchmark.rounds", 3);
    static final Duration ROUND = Duration.ofMillis(Long.getLong("benchmark.round-ms", 3000));
    static final Duration WARM_UP = Duration.ofMillis(Long.getLong("benchmark.warm-up-ms", 2000));
    private static final Duration FIRST_MINUTE = Duration.ofSeconds(Long.getLong("benchmark.first-minute-s", 60));
    private static final Duration BUCKET = Duration.ofSeconds(5);
    private static final int SERVICE_PORT = 8095;
    private static final int POOLED_SERVICE_PORT = 8097;
    private static final int POSTGRAPHILE_PORT = 5095;
    private static final String PAGE_APP = "bench-page";
    static final String SERVICE = "service";
    static final String FLOOR = "database floor";
    /** Server sessions of PgBouncer under -Dbenchmark.pooler=transaction|session: the service's pool size by default. */
    private static final int POOLER_SESSIONS = Integer.getInteger("benchmark.pooler.sessions", 20);
    /** All of them unless -Dbenchmark.scenarios=READ,PAGE (for profiling one). */
    static final List<Scenario> SCENARIOS = System.getProperty("benchmark.scenarios", "").isBlank() ? List.of(Scenario.values())
            : java.util.Arrays.stream(System.getProperty("benchmark.scenarios").split(",")).map(String::trim).map(Scenario::valueOf).toList();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private String jdbcUrl;

    @Test
    void sideBySide() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setServerConfig("shared_preload_libraries", "pg_stat_statements")
                .setServerConfig("max_connections", "200").setServerConfig("fsync", "off").start()) {
            jdbcUrl = postgres.getJdbcUrl("postgres", "postgres");
            Data data;
            try (Service first = Service.start(jdbcUrl)) { // migrates the database
                first.awaitAnswer(http);
                data = Data.load(http, first.endpoint());
            }
            sql("create extension if not exists pg_stat_statements");
            sql("vacuum analyze");
            SideBySideReport report = new SideBySideReport(SCENARIOS);
            report.header(machine(), scalar("select version()"), CLIENTS);

            // Start-up the other way than the image: with the archive when the image does not ship it, without when it does.
            if (Service.archiveBuilt()) {
                try (Service other = Service.start(jdbcUrl, !Service.IMAGE.shipsArchive(), SERVICE_PORT, List.of())) {
                    report.otherStart(other.awaitAnswer(http), other.archive);
                }
            }
            Map<String, Target> systems = new LinkedHashMap<>();
            List<AutoCloseable> running = new ArrayList<>();
            String peerName = null;
            try {
                Service service = Service.start(jdbcUrl);
                running.add(service);
                long startMillis = service.awaitAnswer(http);
                ServiceTarget serviceTarget = new ServiceTarget(http, service.endpoint(), data);
                report.serviceStart(startMillis, service.archive, firstMinute(serviceTarget));
                systems.put(SERVICE, serviceTarget);

                String poolMode = System.getProperty("benchmark.pooler", "");
                if (!poolMode.isBlank()) { // the same service again, through PgBouncer (docs/pooler.md)
                    PgBouncer pgbouncer = PgBouncer.start("SessionBenchmark", Path.of("target", "benchmark-pgbouncer"), postgres.getPort(),
                            poolMode, POOLER_SESSIONS);
                    running.add(pgbouncer);
                    Service pooled = Service.start(pgbouncer.jdbcUrl(), Service.IMAGE.shipsArchive(), POOLED_SERVICE_PORT, List.of(),
                            "customer-sessions.database.pooler=" + poolMode, "customer-sessions.database.listen-url=" + jdbcUrl);
                    running.add(pooled);
                    pooled.awaitAnswer(http);
                    systems.put("PgBouncer " + (poolMode.equals("transaction") ? "tx" : poolMode), new ServiceTarget(http, pooled.endpoint(), data));
                    report.note(String.format("PgBouncer tx/session: the same service through %s in %s mode, %d server sessions, on this machine",
                            PgBouncer.version("SessionBenchmark"), poolMode, POOLER_SESSIONS));
                }
                if (Boolean.parseBoolean(System.getProperty("benchmark.floor", "true"))) {
                    systems.put(FLOOR, new FloorTarget(jdbcUrl, data));
                }
                PostGraphile peer = Boolean.parseBoolean(System.getProperty("benchmark.peer", "true")) ? PostGraphile.start(jdbcUrl, POSTGRAPHILE_PORT) : null;
                if (peer == null) {
                    report.note("PostGraphile: left out (-Dbenchmark.peer=false, or Node.js/npm not found)");
                } else {
                    running.add(peer);
                    PostGraphileTarget peerTarget = new PostGraphileTarget(http, peer.endpoint(), data);
                    peerTarget.check();
                    peerName = "PostGraphile " + peer.version();
                    report.peerStart(peerName, firstMinute(peerTarget));
                    systems.put(peerName, peerTarget);
                }
                measureAll(systems, report);
                report.serviceMemory(service.residentKiB());
                if (peer != null) {
                    report.note(String.format("%s (%s), Node %s; resident memory after the runs %d MiB", peerName, peer.options(),
                            peer.nodeVersion(), peer.residentKiB() / 1024));
                }
            } finally {
                for (int i = running.size() - 1; i >= 0; i--) {
                    running.get(i).close();
                }
                if (peerName != null) {
                    sql("drop schema if exists cs_peer cascade");
                }
            }
            String text = report.text(peerName);
            System.out.println(text);
            Files.writeString(Path.of("target", "benchmark.txt"), text, StandardCharsets.UTF_8);
        }
    }

    /**
     * Every run measures every scenario on every system, one system at a time; within a run the system that goes first
     * rotates from scenario to scenario, and from run to run, so that no system always meets the database (its caches,
     * its autovacuum, the rows the others just wrote) at the same point. Statements are counted in the first run.
     */
    private void measureAll(Map<String, Target> systems, SideBySideReport report) throws Exception {
        for (int run = 0; run < RUNS; run++) {
            for (int k = 0; k < SCENARIOS.size(); k++) {
                Scenario scenario = SCENARIOS.get(k);
                List<String> order = new ArrayList<>(systems.keySet());
                Collections.rotate(order, -((run + k) % order.size()));
                for (String system : order) {
                    Result result = measure(systems.get(system), scenario, run == 0);
                    report.add(system, scenario, result);
                    System.out.printf(Locale.ROOT, "run %d, %s, %s: %.0f req/s, p50 %.2f ms, p99 %.2f ms%n", run + 1, scenario.title, system,
                            result.throughput, result.p50, result.p99);
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------- scenarios

    /** The six scenarios of the report, in order. */
    enum Scenario {
        READ("read a 100-item session with totals"),
        PAGE("page of 50 sessions with carts"),
        REPEAT("repeat update, no change (10 items)"),
        CHANGE("changing update (10 items)"),
        CREATE("create a session (10 items)"),
        LARGE("update a 1000-item cart");

        final String title;

        Scenario(String title) {
            this.title = title;
        }
    }

    /** One client's next request: sends it and checks the answer (throws when it is wrong). */
    @FunctionalInterface
    interface Call {
        void run() throws Exception;
    }

    /** A system under test: for each scenario, the calls of client {@code t}. */
    interface Target {
        Call call(Scenario scenario, int client) throws Exception;

        default void closeClients() {
        }
    }

    /**
     * One system's figures for one scenario in one run: the medians of its rounds; {@code aloneP50}, the median latency
     * of one client alone (the 1000-item update only; NaN otherwise); statements per request (NaN when not counted).
     */
    record Result(double throughput, double p50, double p99, double statements, double transaction, double aloneP50) {
    }

    /** Warm-up, then the rounds; the statements counted by PostgreSQL in the first round when {@code count}. */
    private Result measure(Target target, Scenario scenario, boolean count) throws Exception {
        try {
            List<Call> calls = new ArrayList<>();
            for (int t = 0; t < CLIENTS; t++) {
                calls.add(target.call(scenario, t));
            }
            run(calls, WARM_UP, null);
            List<Double> throughputs = new ArrayList<>();
            List<Double> p50s = new ArrayList<>();
            List<Double> p99s = new ArrayList<>();
            double[] statements = {Double.NaN, Double.NaN};
            for (int round = 0; round < ROUNDS; round++) {
                boolean counting = count && round == 0;
                if (counting) {
                    sql("select pg_stat_statements_reset()");
                }
                Round r = run(calls, ROUND, null);
                if (counting) {
                    long[] counted = statementCounts();
                    statements[0] = (double) counted[0] / r.requests;
                    statements[1] = (double) counted[1] / r.requests;
                }
                throughputs.add(r.throughput);
                p50s.add(r.p50);
                p99s.add(r.p99);
            }
            double alone = Double.NaN;
            if (scenario == Scenario.LARGE) { // its latency target is that of one request on its own
                alone = run(calls.subList(0, 1), ROUND, null).p50;
            }
            return new Result(median(throughputs), median(p50s), median(p99s), statements[0], statements[1], alone);
        } finally {
            target.closeClients();
        }
    }

    record Round(long requests, double throughput, double p50, double p99) {
    }

    /** Runs every client's calls in a loop for the duration; {@code buckets}, when given, counts completions per 5 s. */
    private static Round run(List<Call> calls, Duration duration, AtomicLong[] buckets) throws Exception {
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        List<long[]> latencies = Collections.synchronizedList(new ArrayList<>());
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (Call call : calls) {
            Thread thread = new Thread(() -> {
                long[] mine = new long[1024];
                int n = 0;
                try {
                    while (System.nanoTime() < end) {
                        long t0 = System.nanoTime();
                        call.run();
                        long t1 = System.nanoTime();
                        if (n == mine.length) {
                            mine = java.util.Arrays.copyOf(mine, n * 2);
                        }
                        mine[n++] = t1 - t0;
                        if (buckets != null) {
                            int bucket = (int) ((t1 - start) / BUCKET.toNanos());
                            if (bucket < buckets.length) {
                                buckets[bucket].incrementAndGet();
                            }
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
                latencies.add(java.util.Arrays.copyOf(mine, n));
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (!failures.isEmpty()) {
            throw new IllegalStateException("a request failed: " + failures.get(0), failures.get(0));
        }
        long[] all = latencies.stream().flatMapToLong(java.util.Arrays::stream).sorted().toArray();
        if (all.length == 0) {
            throw new IllegalStateException("no request completed");
        }
        return new Round(all.length, all.length / seconds, all[(int) (all.length * 0.50)] / 1e6,
                all[Math.min(all.length - 1, (int) (all.length * 0.99))] / 1e6);
    }

    /** The first minute after start: the read, by 5-second buckets. */
    record FirstMinute(double[] perSecond) {
        String describe(String who, double steady) {
            double total = 0;
            int reached = -1;
            StringBuilder series = new StringBuilder();
            for (int i = 0; i < perSecond.length; i++) {
                total += perSecond[i];
                series.append(i == 0 ? "" : " ").append(Math.round(perSecond[i]));
                if (reached < 0 && perSecond[i] >= 0.9 * steady) {
                    reached = i;
                }
            }
            return String.format("%s warm-up: read throughput in the first minute after start %.0f req/s (by 5 s: %s); 90 %% of steady "
                    + "state (%.0f req/s) %s", who, total / perSecond.length, series, steady,
                    reached < 0 ? "not reached within the minute" : "reached in the 5 s ending at " + (reached + 1) * 5 + " s");
        }
    }

    private FirstMinute firstMinute(Target target) throws Exception {
        List<Call> calls = new ArrayList<>();
        for (int t = 0; t < CLIENTS; t++) {
            calls.add(target.call(Scenario.READ, t));
        }
        int n = (int) (FIRST_MINUTE.toNanos() / BUCKET.toNanos());
        AtomicLong[] buckets = new AtomicLong[n];
        for (int i = 0; i < n; i++) {
            buckets[i] = new AtomicLong();
        }
        run(calls, FIRST_MINUTE, buckets);
        double[] perSecond = new double[n];
        for (int i = 0; i < n; i++) {
            perSecond[i] = buckets[i].get() / (double) BUCKET.toSeconds();
        }
        return new FirstMinute(perSecond);
    }

    // ---------------------------------------------------------------------------------------------------- database

    /**
     * The service's background reads, which run whether requests come or not and whichever system is being measured
     * (all run at once): the outbox reader (every 100 ms, docs/events.md) and the webhooks' fan-out and delivery claims.
     * Requests touch neither (they write the outbox row in their own statement).
     */
    private static final String NOT_BACKGROUND = "and query not like '%pg_current_snapshot()%' and query not ilike '%webhook%'";

    private long[] statementCounts() throws SQLException {
        long statements = 0;
        long transaction = 0;
        try (Connection c = DriverManager.getConnection(jdbcUrl); Statement s = c.createStatement();
                ResultSet rows = s.executeQuery("select query, calls from pg_stat_statements where query not like '%pg_stat_statements%' "
                        + "and query <> 'select pg_backend_pid()' and query not ilike 'listen %' " + NOT_BACKGROUND)) {
            while (rows.next()) {
                String word = rows.getString(1).trim().split("\\s+", 2)[0].toLowerCase(Locale.ROOT);
                if (List.of("begin", "commit", "rollback", "set", "savepoint", "release", "start").contains(word)) {
                    transaction += rows.getLong(2);
                } else {
                    statements += rows.getLong(2);
                }
            }
        }
        return new long[] {statements, transaction};
    }

    private void sql(String statement) throws SQLException {
        sql(jdbcUrl, statement);
    }

    private String scalar(String query) throws SQLException {
        return scalar(jdbcUrl, query);
    }

    /** Runs one statement on a connection of its own. */
    static void sql(String jdbcUrl, String statement) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    /** The first column of the query's first row, as text. */
    static String scalar(String jdbcUrl, String query) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl); Statement s = c.createStatement(); ResultSet rows = s.executeQuery(query)) {
            rows.next();
            return rows.getString(1);
        }
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static String machine() {
        String cpu = "unknown CPU";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(cpu);
        } catch (IOException e) {
            // not Linux: leave it unknown
        }
        String memory = "";
        try {
            memory = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
                    .map(l -> String.format(Locale.ROOT, ", %.1f GiB of memory", Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0))
                    .findFirst().orElse("");
        } catch (IOException e) {
            // not Linux
        }
        return Runtime.getRuntime().availableProcessors() + " cores, " + cpu + memory + ", " + System.getProperty("os.name") + " "
                + System.getProperty("os.arch");
    }

    static String resource(String name) {
        try (InputStream in = SessionBenchmark.class.getClassLoader().getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String serviceDocument(String name) {
        return name.startsWith("bench/") ? resource(name) : document(name);
    }

    /** A process of the benchmark (the service, PostGraphile), stopped on close. */
    abstract static class Child implements AutoCloseable {
        final Process process;

        Child(Process process) {
            this.process = process;
        }

        long residentKiB() {
            try {
                return Files.readAllLines(Path.of("/proc/" + process.pid() + "/status")).stream().filter(l -> l.startsWith("VmRSS:"))
                        .map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).findFirst().orElse(-1L);
            } catch (IOException e) {
                return -1;
            }
        }

        /** The CPU time the process has used, in clock ticks (user and system; Linux, 100 a second). */
        long cpuTicks() {
            try {
                String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                return Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime and stime, fields 14 and 15
            } catch (IOException e) {
                return -1;
            }
        }

        @Override
        public void close() throws InterruptedException {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /** The packaged service (target/quarkus-app), in the production profile, started as the container image runs it. */
    static final class Service extends Child {
        /** src/main/docker/Dockerfile.jvm, read at each run: the benchmarks follow whatever options the image has. */
        static final ContainerImage IMAGE = ContainerImage.read();
        /** The image's JAVA_OPTS_APPEND, unless -Dbenchmark.service-jvm replaces them. */
        static final String JVM_OPTIONS = System.getProperty("benchmark.service-jvm", IMAGE.javaOptions());
        static final String ARCHIVE = "app-cds.jsa";
        final long started;
        final int port;
        final boolean archive;

        private Service(Process process, long started, int port, boolean archive) {
            super(process);
            this.started = started;
            this.port = port;
            this.archive = archive;
        }

        /** The service, with more system properties ({@code name=value}) than the benchmark's own. */
        static Service start(String jdbcUrl, String... properties) throws IOException {
            return start(jdbcUrl, List.of(), properties);
        }

        /** The service with more JVM options after the image's (such as a GC log) and more system properties. */
        static Service start(String jdbcUrl, List<String> jvmOptions, String... properties) throws IOException {
            return start(jdbcUrl, IMAGE.shipsArchive(), SERVICE_PORT, jvmOptions, properties);
        }

        /** Whether the package built the class data sharing archive (quarkus.package.jar.appcds.enabled). */
        static boolean archiveBuilt() {
            return new File("target/quarkus-app/" + ARCHIVE).isFile();
        }

        /**
         * The service on the port (its management interface 1000 above), with the class data sharing archive when
         * {@code archive} (and the package built one; the image uses it only if it ships it).
         */
        static Service start(String jdbcUrl, boolean archive, int port, List<String> jvmOptions, String... properties) throws IOException {
            List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
            if (!JVM_OPTIONS.isBlank()) {
                command.addAll(List.of(JVM_OPTIONS.split(" ")));
            }
            command.addAll(jvmOptions);
            boolean archived = archive && archiveBuilt();
            if (archived && !JVM_OPTIONS.contains("-XX:SharedArchiveFile")) {
                command.add("-XX:SharedArchiveFile=" + ARCHIVE);
            }
            String extra = System.getProperty("benchmark.service-jvm-options", "");
            if (!extra.isBlank()) { // such as -XX:StartFlightRecording=filename=target/service.jfr,settings=profile
                command.addAll(List.of(extra.trim().split("\\s+")));
            }
            command.addAll(List.of("-Dquarkus.http.port=" + port, "-Dquarkus.management.port=" + (port + 1000),
                    "-Dcustomer-sessions.management-key=bench-management-key", "-Dquarkus.datasource.jdbc.url=" + jdbcUrl,
                    "-Dquarkus.datasource.username=postgres", "-Dquarkus.datasource.password=postgres",
                    // rate limits charged as in production, with buckets a benchmark does not run dry
                    "-Dcustomer-sessions.rate-limits.secret-key.maximum=2000000000",
                    "-Dcustomer-sessions.rate-limits.secret-key.restore-rate=2000000000"));
            for (String property : properties) {
                command.add("-D" + property);
            }
            command.addAll(List.of("-jar", "quarkus-run.jar"));
            ProcessBuilder builder = new ProcessBuilder(command).directory(new File("target/quarkus-app")); // as in the image
            builder.environment().putAll(IMAGE.processEnvironment());
            long started = System.nanoTime();
            Process process = builder.redirectErrorStream(true).redirectOutput(new File("target/benchmark-service" + (port == SERVICE_PORT ? "" : "-" + port)
                    + ".log").getAbsoluteFile()).start();
            return new Service(process, started, port, archived);
        }

        /** The environment the image gives the process, as {@code NAME=value}. */
        static String environment() {
            return IMAGE.processEnvironment().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(java.util.stream.Collectors.joining(" "));
        }

        URI endpoint() {
            return URI.create("http://localhost:" + port + "/graphql");
        }

        /** The Prometheus scrape of the management interface. */
        URI metrics() {
            return URI.create("http://localhost:" + (port + 1000) + "/q/metrics");
        }

        /** Waits for the first answered GraphQL request; the milliseconds from the process start. */
        long awaitAnswer(HttpClient http) throws Exception {
            HttpRequest probe = HttpRequest.newBuilder(endpoint()).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"{ __typename }\"}")).build();
            long deadline = started + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                try {
                    if (http.send(probe, HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                        return (System.nanoTime() - started) / 1_000_000;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                if (!process.isAlive()) {
                    break;
                }
                Thread.sleep(5);
            }
            throw new IllegalStateException("the service did not answer; see target/benchmark-service.log");
        }

        static String javaVersion() {
            return System.getProperty("java.version");
        }
    }

    // ---------------------------------------------------------------------------------------------------- data

    /** What the scenarios work on: the same for the three systems, loaded through the service. */
    record Data(long applicationId, String apiKey, long pageApplicationId, String pageApiKey) {

        static final String MANAGEMENT = "ManagementKey-v1 bench-management-key";

        static Data load(HttpClient http, URI endpoint) throws Exception {
            Map<String, String> main = createApplication(http, endpoint, "bench");
            Map<String, String> page = createApplication(http, endpoint, PAGE_APP);
            for (Map<String, String> app : List.of(main, page)) {
                post(http, endpoint, MANAGEMENT, document("defineAdditionalCost"), Map.of("applicationId", app.get("id"),
                        "input", Map.of("name", "shipping", "title", "Shipping", "scope", "SESSION")));
                post(http, endpoint, MANAGEMENT, document("defineAdditionalCost"), Map.of("applicationId", app.get("id"),
                        "input", Map.of("name", "wrap", "title", "Gift wrap", "scope", "ITEM")));
            }
            String key = "ApiKey-v1 " + main.get("key");
            String update = serviceDocument("bench/service-update.graphql");
            post(http, endpoint, key, update, Map.of("integrationId", "read-100", "input", Bodies.input(100, 2)));
            for (int t = 0; t < CLIENTS; t++) {
                for (String system : List.of("svc", "floor", "pg")) {
                    post(http, endpoint, key, update, Map.of("integrationId", system + "-repeat-" + t, "input", Bodies.input(10, 1)));
                    post(http, endpoint, key, update, Map.of("integrationId", system + "-change-" + t, "input", Bodies.input(10, 1)));
                    post(http, endpoint, key, update, Map.of("integrationId", system + "-large-" + t, "input", Bodies.input(1000, 1)));
                }
            }
            for (int i = 0; i < 60; i++) {
                post(http, endpoint, "ApiKey-v1 " + page.get("key"), update, Map.of("integrationId", "page-" + i, "input", Bodies.input(10, 1 + i % 3)));
            }
            return new Data(Long.parseLong(main.get("id")), main.get("key"), Long.parseLong(page.get("id")), page.get("key"));
        }

        /** A new application with its secret key: {@code id} and {@code key}. */
        static Map<String, String> createApplication(HttpClient http, URI endpoint, String name) throws Exception {
            String body = post(http, endpoint, MANAGEMENT, document("createApplication"), Map.of("input", Map.of("name", name, "currency", "EUR")));
            return Map.of("id", Bodies.field(body, "\"applicationId\":\""), "key", Bodies.field(body, "\"key\":\""));
        }

        static String post(HttpClient http, URI endpoint, String authorization, String query, Map<String, ?> variables) throws Exception {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(endpoint).header("Content-Type", "application/json")
                    .header("Authorization", authorization).POST(HttpRequest.BodyPublishers.ofString(Json.object(Map.of("query", query,
                            "variables", variables)))).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200 || response.body().contains("\"errors\"") || response.body().contains("\"code\"")) {
                throw new IllegalStateException("loading the data failed: " + response.body());
            }
            return response.body();
        }
    }

    /** Carts as request bodies: {@code items} items of 2 × 1.25 with a 0.5 wrap each, the last with {@code lastQuantity}; shipping 4.95. */
    static final class Bodies {

        static Map<String, Object> input(int items, int lastQuantity) {
            return Map.of("cartItems", cart(items, lastQuantity), "additionalCosts", List.of(Map.of("name", "shipping", "price", "4.95")));
        }

        static List<Map<String, Object>> cart(int items, int lastQuantity) {
            List<Map<String, Object>> cart = new ArrayList<>(items);
            for (int i = 0; i < items; i++) {
                Map<String, Object> item = new LinkedHashMap<>();
                item.put("sku", "SKU-" + i);
                item.put("name", "Item " + i);
                item.put("quantity", i == items - 1 ? lastQuantity : 2);
                item.put("price", "1.25");
                item.put("additionalCosts", List.of(Map.of("name", "wrap", "price", "0.5")));
                cart.add(item);
            }
            return cart;
        }

        /** The exact total of such a cart. */
        static BigDecimal total(int items, int lastQuantity) {
            return totals(items, lastQuantity).get("total");
        }

        /** The four totals of such a cart, by their names in the answers. */
        static Map<String, BigDecimal> totals(int items, int lastQuantity) {
            BigDecimal units = BigDecimal.valueOf(2L * (items - 1) + lastQuantity);
            Map<String, BigDecimal> totals = new LinkedHashMap<>();
            totals.put("cartItemTotal", units.multiply(new BigDecimal("1.25")));
            totals.put("cartItemAdditionalCostTotal", units.multiply(new BigDecimal("0.5")));
            totals.put("additionalCostTotal", new BigDecimal("4.95"));
            totals.put("total", units.multiply(new BigDecimal("1.75")).add(new BigDecimal("4.95")));
            return totals;
        }

        /** The sum of the totals of the first {@code sessions} sessions of the page application, as {@link Data#load} made them. */
        static BigDecimal pageTotal(int sessions) {
            BigDecimal sum = BigDecimal.ZERO;
            for (int i = 0; i < sessions; i++) {
                sum = sum.add(total(10, 1 + i % 3));
            }
            return sum;
        }

        /** Every number (quoted or not) after {@code "key":} in the JSON text, in order. */
        static List<BigDecimal> numbers(String json, String key) {
            List<BigDecimal> numbers = new ArrayList<>();
            String prefix = "\"" + key + "\":";
            for (int at = json.indexOf(prefix); at >= 0; at = json.indexOf(prefix, at + 1)) {
                int from = at + prefix.length();
                if (from < json.length() && json.charAt(from) == '"') {
                    from++;
                }
                int to = from;
                while (to < json.length() && "-0123456789.".indexOf(json.charAt(to)) >= 0) {
                    to++;
                }
                if (to == from) {
                    throw new IllegalStateException("no number after " + prefix + " in " + json.substring(0, Math.min(500, json.length())));
                }
                numbers.add(new BigDecimal(json.substring(from, to)));
            }
            return numbers;
        }

        static String field(String json, String prefix) {
            int at = json.indexOf(prefix);
            if (at < 0) {
                throw new IllegalStateException("no " + prefix + " in " + json);
            }
            at += prefix.length();
            return json.substring(at, json.indexOf('"', at));
        }
    }

    /** GraphQL over HTTP, with precomputed bodies; an answer with errors (or user errors) fails the run. */
    abstract static class HttpTarget implements Target {
        final HttpClient http;
        final URI endpoint;
        final Data data;

        HttpTarget(HttpClient http, URI endpoint, Data data) {
            this.http = http;
            this.endpoint = endpoint;
            this.data = data;
        }

        /** Requests of one client: body {@code i} for its {@code i}-th request; {@code check} throws when the answer is wrong. */
        Call post(String authorization, IntFunction<String> body, java.util.function.BiConsumer<Integer, String> check) {
            long[] counter = {0};
            return () -> {
                HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).header("Content-Type", "application/json");
                if (authorization != null) {
                    request.header("Authorization", authorization);
                }
                int i = (int) counter[0]++;
                HttpResponse<String> response = http.send(request.POST(HttpRequest.BodyPublishers.ofString(body.apply(i))).build(),
                        HttpResponse.BodyHandlers.ofString());
                String answer = response.body();
                if (response.statusCode() != 200 || answer.contains("\"errors\"") || answer.contains("\"code\"")) {
                    throw new IllegalStateException("unexpected answer " + response.statusCode() + ": " + answer.substring(0, Math.min(500, answer.length())));
                }
                check.accept(i, answer);
            };
        }

        /** The answer has each of the totals (by name) with exactly that value, once. */
        static void expectTotals(String answer, Map<String, BigDecimal> totals) {
            totals.forEach((name, value) -> {
                List<BigDecimal> found = Bodies.numbers(answer, name);
                if (found.size() != 1 || found.get(0).compareTo(value) != 0) {
                    throw new IllegalStateException(name + " " + found + ", expected " + value + ": " + answer.substring(0, Math.min(500, answer.length())));
                }
            });
        }

        /** A page: 50 sessions whose totals sum to those of the first 50 sessions loaded, and a next page. */
        static void expectPage(String answer) {
            List<BigDecimal> totals = Bodies.numbers(answer, "total");
            BigDecimal sum = totals.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
            if (totals.size() != 50 || sum.compareTo(Bodies.pageTotal(50)) != 0 || !answer.contains("\"hasNextPage\":true")) {
                throw new IllegalStateException("page of " + totals.size() + " sessions, totals summing to " + sum + ", expected 50 and "
                        + Bodies.pageTotal(50));
            }
        }

        /** Each update's stored state, by integration id: requests sent (for the alternation of the last line) and the last version. */
        private final Map<String, long[]> carts = new java.util.concurrent.ConcurrentHashMap<>();

        /**
         * Updates of one cart, the same each time or (changing) its last line's quantity the other of 1 and 2, from one
         * measurement to the next (the data is loaded with 1). Checked: the answer's totals are the sent cart's; a repeat
         * keeps the version, a change raises it by one.
         */
        Call updates(String authorization, String id, int items, boolean changing, IntFunction<String> bodyWithLastQuantity) {
            String[] bodies = {bodyWithLastQuantity.apply(1), bodyWithLastQuantity.apply(2)};
            long[] state = carts.computeIfAbsent(id, k -> new long[] {0, -1});
            return post(authorization, i -> bodies[changing ? (int) ((state[0] + 1) % 2) : 0], (i, answer) -> {
                int lastQuantity = changing ? (int) ((state[0] + 1) % 2) + 1 : 1;
                state[0]++;
                long version = Bodies.numbers(answer, "version").get(0).longValueExact();
                long expected = state[1] < 0 ? version : changing ? state[1] + 1 : state[1];
                if (version != expected) {
                    throw new IllegalStateException(id + ": version " + version + ", expected " + expected);
                }
                state[1] = version;
                Map<String, BigDecimal> totals = Bodies.totals(items, lastQuantity);
                expectTotals(answer, Map.of("cartItemTotal", totals.get("cartItemTotal"), "total", totals.get("total")));
            });
        }

        static String body(String query, Map<String, ?> variables) {
            return Json.object(Map.of("query", query, "variables", variables));
        }
    }

    static final class ServiceTarget extends HttpTarget {
        private final String read = serviceDocument("readSession");
        private final String page = serviceDocument("bench/service-page.graphql");
        private final String update = serviceDocument("bench/service-update.graphql");
        private final AtomicLong created = new AtomicLong();

        ServiceTarget(HttpClient http, URI endpoint, Data data) {
            super(http, endpoint, data);
        }

        @Override
        public Call call(Scenario scenario, int t) {
            String key = "ApiKey-v1 " + data.apiKey();
            return switch (scenario) {
                case READ -> post(key, i -> body(read, Map.of("integrationId", "read-100")), (i, answer) -> expectTotals(answer, Bodies.totals(100, 2)));
                case PAGE -> post("ApiKey-v1 " + data.pageApiKey(), i -> body(page, Map.of("first", 50)), (i, answer) -> expectPage(answer));
                case REPEAT -> updates(key, "svc-repeat-" + t, 10, false);
                case CHANGE -> updates(key, "svc-change-" + t, 10, true);
                case CREATE -> post(key, i -> body(update, Map.of("integrationId", "svc-new-" + created.incrementAndGet(), "input",
                        Bodies.input(10, 1))), (i, answer) -> created(answer));
                case LARGE -> updates(key, "svc-large-" + t, 1000, true);
            };
        }

        private Call updates(String key, String id, int items, boolean changing) {
            return updates(key, id, items, changing, lastQuantity -> body(update, Map.of("integrationId", id, "input", Bodies.input(items, lastQuantity))));
        }
    }

    /** A new session of 10 items: version 1 with its cart's totals, no user error. */
    static void created(String answer) {
        if (Bodies.numbers(answer, "version").get(0).longValueExact() != 1 || answer.contains("\"userErrors\":[{")) {
            throw new IllegalStateException("not created: " + answer);
        }
        Map<String, BigDecimal> totals = Bodies.totals(10, 1);
        HttpTarget.expectTotals(answer, Map.of("cartItemTotal", totals.get("cartItemTotal"), "total", totals.get("total")));
    }

    static final class PostGraphileTarget extends HttpTarget {
        private final String read = resource("bench/postgraphile-read.graphql");
        private final String page = resource("bench/postgraphile-page.graphql");
        private final String update = resource("bench/postgraphile-update.graphql");
        private final AtomicLong created = new AtomicLong();

        PostGraphileTarget(HttpClient http, URI endpoint, Data data) {
            super(http, endpoint, data);
        }

        /** PostGraphile's answers carry the same totals as the service's. */
        void check() throws Exception {
            call(Scenario.READ, 0).run();
            call(Scenario.PAGE, 0).run();
        }

        @Override
        public Call call(Scenario scenario, int t) {
            long app = data.applicationId();
            return switch (scenario) {
                case READ -> post(null, i -> body(read, Map.of("applicationId", String.valueOf(app), "integrationId", "read-100")),
                        (i, answer) -> expectTotals(answer, Bodies.totals(100, 2)));
                case PAGE -> post(null, i -> body(page, Map.of("applicationId", String.valueOf(data.pageApplicationId()))), (i, answer) -> expectPage(answer));
                case REPEAT -> updates(app, "pg-repeat-" + t, 10, false);
                case CHANGE -> updates(app, "pg-change-" + t, 10, true);
                case CREATE -> post(null, i -> body(update, variables(app, "pg-new-" + created.incrementAndGet(), 10, 1)), (i, answer) -> created(answer));
                case LARGE -> updates(app, "pg-large-" + t, 1000, true);
            };
        }

        private Call updates(long app, String id, int items, boolean changing) {
            return updates(null, id, items, changing, lastQuantity -> body(update, variables(app, id, items, lastQuantity)));
        }

        private static Map<String, Object> variables(long app, String id, int items, int lastQuantity) {
            return Map.of("applicationId", String.valueOf(app), "integrationId", id, "cart", Bodies.cart(items, lastQuantity),
                    "costs", List.of(Map.of("name", "shipping", "price", "4.95")));
        }
    }
}
