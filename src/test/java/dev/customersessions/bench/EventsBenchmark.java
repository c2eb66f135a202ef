package dev.customersessions.bench;

import static dev.customersessions.support.GraphQLClient.document;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

import dev.customersessions.bench.SessionBenchmark.Bodies;
import dev.customersessions.bench.SessionBenchmark.Data;
import dev.customersessions.bench.SessionBenchmark.Service;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Change events under load, {@code ./mvnw verify -Dbenchmark -Dbenchmark.test=EventsBenchmark} (docs/benchmark.md,
 * "Change events"), on one embedded PostgreSQL 17 and the packaged service, in three parts:
 * <ol>
 * <li><b>subscribers</b>: 1,000 WebSocket subscribers (the JDK's client, two threads), each following its own session
 * with a publishable key and the session's token, as a shopper's page does; then every session is changed once through
 * the API by 16 writers, at a steady rate and then as fast as they go. Reported: per delivery, the time from the write's
 * answer to the subscriber's receipt (median, p99, max, how many within 1 s), and the writes' own throughput;</li>
 * <li><b>poll</b>: what the outbox reader costs the database, idle (subscribers connected, nothing written) and busy
 * (during the unpaced writes): its calls and time per call from pg_stat_statements, and its plan;</li>
 * <li><b>outbox</b>: the write path's cost of the outbox, with pgbench (needs it on the PATH): the service's update
 * statement (src/test/resources/bench/outbox-update.sql) without the outbox row, with it, and with it plus a NOTIFY per
 * transaction (a connection LISTENs meanwhile), interleaved, several runs each; medians and spread.</li>
 * </ol>
 * Reports to the console and target/benchmark-events.txt; asserts nothing about time (a lost or wrong event fails it).
 * {@code -Dbenchmark.events.parts=SUBSCRIBERS,POLL,OUTBOX} picks parts.
 */
class EventsBenchmark {

    private static final int SUBSCRIBERS = Integer.getInteger("benchmark.subscribers", 1000);
    private static final int WRITERS = Integer.getInteger("benchmark.clients", 16);
    /** Writes per second of the steady pass. */
    private static final int RATE = Integer.getInteger("benchmark.events.rate", 200);
    private static final int OUTBOX_RUNS = Integer.getInteger("benchmark.events.outbox-runs", 3);
    private static final int OUTBOX_SECONDS = Integer.getInteger("benchmark.events.outbox-seconds", 10);
    private static final boolean FSYNC = Boolean.getBoolean("benchmark.events.fsync");
    private static final List<String> PARTS = List.of(System.getProperty("benchmark.events.parts", "SUBSCRIBERS,POLL,OUTBOX").split(","));
    private static final Duration IDLE = Duration.ofSeconds(10);
    private static final String SUBSCRIPTION = """
            subscription Page($integrationId: String!, $sessionToken: String, $sinceVersion: Int) {
              customerSessionChanged(integrationId: $integrationId, sessionToken: $sessionToken, sinceVersion: $sinceVersion) {
                version kind session { version total cartItems { lineId sku quantity price } }
              }
            }""";
    /** The outbox reader's statement ({@code EventLog.after}), as pg_stat_statements shows it. */
    private static final String POLL_STATEMENT = "query like 'with h as (select pg_snapshot_xmin(pg_current_snapshot())%'";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final StringBuilder report = new StringBuilder();
    private String jdbcUrl;
    private boolean missed;

    @Test
    void changeEvents() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setServerConfig("shared_preload_libraries", "pg_stat_statements")
                .setServerConfig("max_connections", "200").setServerConfig("fsync", FSYNC ? "on" : "off").start()) {
            jdbcUrl = postgres.getJdbcUrl("postgres", "postgres");
            line("customer-sessions change events benchmark, " + java.time.LocalDate.now());
            line("machine: " + SessionBenchmark.machine() + "; the service, PostgreSQL and this load generator share them; "
                    + "load average at start " + loadAverage());
            Fixture fixture;
            try (Service service = Service.start(jdbcUrl, "customer-sessions.rate-limits.publishable-key.maximum=2000000000",
                    "customer-sessions.rate-limits.client-address.maximum=2000000000",
                    "customer-sessions.events.subscriptions.per-key=" + Math.max(1000, SUBSCRIBERS))) {
                service.awaitAnswer(http);
                fixture = Fixture.load(http, service.endpoint());
                sql("create extension if not exists pg_stat_statements");
                sql("vacuum analyze");
                line("database: " + scalar("select version()") + "; fsync " + (FSYNC ? "on" : "off (as the tests run it)"));
                line("");
                if (PARTS.contains("SUBSCRIBERS") || PARTS.contains("POLL")) {
                    subscribers(service, fixture);
                }
            }
            if (PARTS.contains("OUTBOX")) {
                outbox(postgres.getPort(), fixture);
            }
            String text = report.toString();
            System.out.println(text);
            Files.writeString(Path.of("target", "benchmark-events.txt"), text, StandardCharsets.UTF_8);
            if (missed) {
                throw new IllegalStateException("a subscriber missed its change: see the report");
            }
        }
    }

    // ------------------------------------------------------------------------------------------- subscribers and poll

    /** The application and its sessions: ev-0 … ev-(n-1), 10 items each, each with a session token. */
    record Fixture(long applicationId, String secretKey, String publishableKey, String[] tokens) {

        static Fixture load(HttpClient http, URI endpoint) throws Exception {
            Map<String, String> app = Data.createApplication(http, endpoint, "bench-events");
            String secret = "ApiKey-v1 " + app.get("key");
            for (Map<String, String> input : List.of(Map.of("name", "shipping", "title", "Shipping", "scope", "SESSION"),
                    Map.of("name", "wrap", "title", "Gift wrap", "scope", "ITEM"))) {
                Data.post(http, endpoint, Data.MANAGEMENT, document("defineAdditionalCost"), Map.of("applicationId", app.get("id"), "input", input));
            }
            String publishable = Bodies.field(Data.post(http, endpoint, Data.MANAGEMENT, document("createApiKey"),
                    Map.of("applicationId", app.get("id"), "input", Map.of("kind", "PUBLISHABLE"))), "\"key\":\"");
            String update = SessionBenchmark.resource("bench/service-update.graphql");
            String[] tokens = new String[SUBSCRIBERS];
            // One after the other, so that the sessions' ids are contiguous (the pgbench scripts pick them by number).
            for (int i = 0; i < SUBSCRIBERS; i++) {
                Data.post(http, endpoint, secret, update, Map.of("integrationId", "ev-" + i, "input", Bodies.input(10, 1)));
                tokens[i] = Bodies.field(Data.post(http, endpoint, secret, document("issueSessionToken"), Map.of("integrationId", "ev-" + i)),
                        "\"sessionToken\":\"");
            }
            return new Fixture(Long.parseLong(app.get("id")), app.get("key"), publishable, tokens);
        }
    }

    private void subscribers(Service service, Fixture fixture) throws Exception {
        URI socketAddress = URI.create(service.endpoint().toString().replaceFirst("^http", "ws"));
        long opening = System.nanoTime();
        try (Pages pages = Pages.open(socketAddress, fixture)) {
            line("%d subscribers (customerSessionChanged, a publishable key and its session's token each; %d WebSocket connections "
                    + "through the JDK's client on 2 threads) connected and subscribed in %.1f s", SUBSCRIBERS, SUBSCRIBERS,
                    (System.nanoTime() - opening) / 1e9);
            Pass warmUp = pass(service, fixture, pages, RATE, 2);
            line("warm-up pass (not measured): %d of %d changes delivered%s", warmUp.delivered(), SUBSCRIBERS, warmUp.missing());

            sql("select pg_stat_statements_reset()");
            long cpuBefore = service.cpuTicks();
            Thread.sleep(IDLE.toMillis());
            double idleServiceCpu = (service.cpuTicks() - cpuBefore) / 100.0 / IDLE.toSeconds();
            Poll idle = poll(IDLE);

            Pass steady = pass(service, fixture, pages, RATE, 1);
            sql("select pg_stat_statements_reset()");
            Pass unpaced = pass(service, fixture, pages, 0, 2);
            Poll busy = poll(Duration.ofNanos(unpaced.nanos()));

            line("");
            line("Deliveries: from the write's answer (through HTTP, 16 writers, each session changed once per pass) to the "
                    + "subscriber's receipt of that version");
            line(String.format(Locale.ROOT, "%-34s %9s %9s %9s %9s %9s %10s %9s %9s %9s", "pass", "writes/s", "write p50", "write p99",
                    "received", "within 1s", "median ms", "p99 ms", "max ms", "events/s"));
            for (Pass pass : List.of(steady, unpaced)) {
                line(pass.describe());
            }
            line("(a delay below 0 is a delivery that came before the write's HTTP answer reached its writer)%s%s", steady.missing(),
                    unpaced.missing());
            missed = warmUp.delivered() != SUBSCRIBERS || steady.delivered() != SUBSCRIBERS || unpaced.delivered() != SUBSCRIBERS;
            line("");
            line("The outbox reader (one instance; EventLog.after every customer-sessions.events.poll-interval, 100 ms, while anyone listens):");
            line("  idle (%d subscribers, no writes, %d s): %s; the service's CPU %.1f %% of one core", SUBSCRIBERS, IDLE.toSeconds(),
                    idle.describe(), idleServiceCpu * 100);
            line("  busy (during the unpaced pass, %.1f s): %s", unpaced.nanos() / 1e9, busy.describe());
            line("  plan of the reader's statement on %s outbox rows: %s", scalar("select count(*) from session_event"), pollPlan());
        }
    }

    /** One pass: every session changed once through the API, paced at {@code rate} per second (0: as fast as 16 writers go). */
    private Pass pass(Service service, Fixture fixture, Pages pages, int rate, int lastQuantity) throws Exception {
        String body = SessionBenchmark.resource("bench/service-update.graphql");
        long[] answered = new long[SUBSCRIBERS];
        int[] versions = new int[SUBSCRIBERS];
        long[] writeNanos = new long[SUBSCRIBERS];
        AtomicInteger next = new AtomicInteger();
        Pattern version = Pattern.compile("\"version\":(\\d+)");
        long start = System.nanoTime();
        inParallel(WRITERS, () -> {
            for (int i = next.getAndIncrement(); i < SUBSCRIBERS; i = next.getAndIncrement()) {
                if (rate > 0) {
                    long due = start + i * 1_000_000_000L / rate;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
                long sent = System.nanoTime();
                String answer = Data.post(http, service.endpoint(), "ApiKey-v1 " + fixture.secretKey(), body,
                        Map.of("integrationId", "ev-" + i, "input", Bodies.input(10, lastQuantity)));
                answered[i] = System.nanoTime();
                writeNanos[i] = answered[i] - sent;
                Matcher m = version.matcher(answer);
                if (!answer.contains("\"userErrors\":[]") || !m.find()) {
                    throw new IllegalStateException("unexpected answer " + answer);
                }
                versions[i] = Integer.parseInt(m.group(1));
            }
        });
        long writesEnd = System.nanoTime();
        long deadline = writesEnd + TimeUnit.SECONDS.toNanos(30);
        while (!pages.allReached(versions) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        long[] delays = new long[SUBSCRIBERS];
        int delivered = 0;
        for (int i = 0; i < SUBSCRIBERS; i++) {
            long at = pages.receivedAt(i, versions[i]);
            delays[i] = at == 0 ? Long.MAX_VALUE : at - answered[i];
            delivered += at == 0 ? 0 : 1;
        }
        long lastReceipt = delivered > 0 ? pages.lastReceipt() : writesEnd;
        return new Pass(rate, start, writesEnd, Math.max(writesEnd, lastReceipt), writeNanos, delays, delivered, pages.missing(versions));
    }

    record Pass(int rate, long start, long writesEnd, long lastReceipt, long[] writeNanos, long[] delays, int delivered, String missing) {

        long nanos() {
            return lastReceipt - start;
        }

        String describe() {
            long[] writes = writeNanos.clone();
            Arrays.sort(writes);
            long[] sorted = delays.clone();
            Arrays.sort(sorted);
            long within = Arrays.stream(delays).filter(d -> d <= 1_000_000_000L).count();
            long[] received = Arrays.stream(sorted).filter(d -> d != Long.MAX_VALUE).toArray();
            return String.format(Locale.ROOT, "%-34s %9.0f %9.1f %9.1f %9s %9d %10.1f %9.1f %9.1f %9.0f",
                    rate > 0 ? "steady, " + rate + " writes/s asked" : "unpaced, 16 writers", writes.length / ((writesEnd - start) / 1e9),
                    writes[writes.length / 2] / 1e6, writes[(int) (writes.length * 0.99)] / 1e6, received.length + "/" + delays.length, within,
                    millis(received, 0.5), millis(received, 0.99), millis(received, 1.0), received.length / ((lastReceipt - start) / 1e9));
        }

        private static double millis(long[] sorted, double quantile) {
            return sorted.length == 0 ? Double.NaN : sorted[Math.min(sorted.length - 1, (int) (sorted.length * quantile))] / 1e6;
        }
    }

    record Poll(long calls, double totalMillis, double seconds) {
        String describe() {
            return String.format(Locale.ROOT, "%d reads (%.1f a second), %.3f ms each on average, %.2f %% of one database core", calls,
                    calls / seconds, calls == 0 ? 0 : totalMillis / calls, totalMillis / 10 / seconds);
        }
    }

    private Poll poll(Duration over) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl); Statement s = c.createStatement();
                ResultSet rows = s.executeQuery("select coalesce(sum(calls), 0), coalesce(sum(total_exec_time), 0) from pg_stat_statements where "
                        + POLL_STATEMENT)) {
            rows.next();
            return new Poll(rows.getLong(1), rows.getDouble(2), over.toNanos() / 1e9);
        }
    }

    /** The reader's statement at the newest position, explained: its plan's first line and its time. */
    private String pollPlan() throws SQLException {
        String horizon = scalar("select pg_snapshot_xmin(pg_current_snapshot())::text");
        List<String> plan = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(jdbcUrl); Statement s = c.createStatement();
                ResultSet rows = s.executeQuery("explain (analyze, costs off) with h as (select pg_snapshot_xmin(pg_current_snapshot()) as horizon) "
                        + "select h.horizon::text as horizon, e.* from h left join lateral (select * from session_event e where (e.tx, e.id) > ('"
                        + horizon + "'::text::xid8, -1) and e.tx < h.horizon order by e.tx, e.id limit 1000) e on true")) {
            while (rows.next()) {
                plan.add(rows.getString(1).trim());
            }
        }
        return plan.stream().filter(l -> l.contains("Index") || l.startsWith("Execution Time")).reduce((a, b) -> a + "; " + b).orElse(plan.toString());
    }

    /** The subscribers: a page each, following its session over its own WebSocket connection. */
    static final class Pages implements AutoCloseable {
        private final ExecutorService threads = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "subscriber-io");
            t.setDaemon(true);
            return t;
        });
        private final HttpClient client = HttpClient.newBuilder().executor(threads).build();
        private final int[] versions = new int[SUBSCRIBERS];
        private final long[] receivedAt = new long[SUBSCRIBERS];
        private final AtomicLong lastReceipt = new AtomicLong();
        private final List<WebSocket> sockets = new ArrayList<>();
        private final AtomicReference<String> failure = new AtomicReference<>();

        static Pages open(URI address, Fixture fixture) throws Exception {
            Pages pages = new Pages();
            CountDownLatch acknowledged = new CountDownLatch(SUBSCRIBERS);
            for (int from = 0; from < SUBSCRIBERS; from += 50) {
                List<CompletableFuture<WebSocket>> opening = new ArrayList<>();
                for (int i = from; i < Math.min(SUBSCRIBERS, from + 50); i++) {
                    opening.add(pages.client.newWebSocketBuilder().subprotocols("graphql-transport-ws")
                            .buildAsync(address, pages.new Page(i, acknowledged, fixture.publishableKey())));
                }
                for (CompletableFuture<WebSocket> socket : opening) {
                    pages.sockets.add(socket.get(30, TimeUnit.SECONDS));
                }
            }
            if (!acknowledged.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("not every subscriber was acknowledged: " + pages.failure.get());
            }
            for (int i = 0; i < SUBSCRIBERS; i++) {
                String subscribe = Json.object(Map.of("id", "1", "type", "subscribe", "payload", Map.of("query", SUBSCRIPTION,
                        "variables", Map.of("integrationId", "ev-" + i, "sessionToken", fixture.tokens()[i], "sinceVersion", 1))));
                pages.sockets.get(i).sendText(subscribe, true).get(10, TimeUnit.SECONDS);
            }
            return pages;
        }

        synchronized long receivedAt(int page, int version) {
            return versions[page] == version ? receivedAt[page] : 0;
        }

        synchronized boolean allReached(int[] wanted) {
            check();
            for (int i = 0; i < wanted.length; i++) {
                if (versions[i] < wanted[i]) {
                    return false;
                }
            }
            return true;
        }

        /** Which subscribers had not received the pass's version: how many, and the first few (subscriber: had/wanted). */
        synchronized String missing(int[] wanted) {
            List<String> missing = new ArrayList<>();
            for (int i = 0; i < SUBSCRIBERS; i++) {
                if (versions[i] < wanted[i]) {
                    missing.add(i + ": " + versions[i] + "/" + wanted[i]);
                }
            }
            return missing.isEmpty() ? "" : "; MISSED by " + missing.size() + " (first: " + missing.subList(0, Math.min(10, missing.size())) + ")";
        }

        long lastReceipt() {
            return lastReceipt.get();
        }

        private void check() {
            if (failure.get() != null) {
                throw new IllegalStateException(failure.get());
            }
        }

        private synchronized void received(int page, int version, long at) {
            if (version <= versions[page]) {
                failure.compareAndSet(null, "subscriber " + page + " got version " + version + " after " + versions[page]);
            }
            versions[page] = version;
            receivedAt[page] = at;
            lastReceipt.accumulateAndGet(at, Math::max);
        }

        @Override
        public void close() {
            sockets.forEach(WebSocket::abort);
            threads.shutdownNow();
        }

        private final class Page implements WebSocket.Listener {
            private final int page;
            private final CountDownLatch acknowledged;
            private final String key;
            private final StringBuilder partial = new StringBuilder();
            private static final Pattern VERSION = Pattern.compile("\"customerSessionChanged\":\\{\"version\":(\\d+)");

            Page(int page, CountDownLatch acknowledged, String key) {
                this.page = page;
                this.acknowledged = acknowledged;
                this.key = key;
            }

            @Override
            public void onOpen(WebSocket socket) {
                socket.sendText(Json.object(Map.of("type", "connection_init", "payload", Map.of("Authorization", "ApiKey-v1 " + key))), true);
                socket.request(1);
            }

            @Override
            public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                long at = System.nanoTime();
                partial.append(data);
                if (last) {
                    String message = partial.toString();
                    partial.setLength(0);
                    if (message.contains("\"type\":\"next\"")) {
                        Matcher m = VERSION.matcher(message);
                        if (m.find() && !message.contains("\"errors\"")) {
                            received(page, Integer.parseInt(m.group(1)), at);
                        } else {
                            failure.compareAndSet(null, "subscriber " + page + ": " + message);
                        }
                    } else if (message.contains("\"type\":\"ping\"")) {
                        socket.sendText("{\"type\":\"pong\"}", true);
                    } else if (message.contains("\"type\":\"connection_ack\"")) {
                        acknowledged.countDown();
                    } else {
                        failure.compareAndSet(null, "subscriber " + page + ": " + message);
                    }
                }
                socket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket socket, int code, String reason) {
                failure.compareAndSet(null, "subscriber " + page + " closed: " + code + " " + reason);
                return null;
            }
        }
    }

    // -------------------------------------------------------------------------------------------------- outbox

    /** pgbench: the service's update without the outbox, with it, and with it and a NOTIFY; interleaved runs. */
    private void outbox(int port, Fixture fixture) throws Exception {
        line("");
        line("The write path's cost of the outbox (pgbench, 16 clients, 2 threads, -M prepared, %d s a run, %d runs of each variant, "
                + "interleaved; a run's variants in a rotating order):", OUTBOX_SECONDS, OUTBOX_RUNS);
        String pgbench = pgbench();
        if (pgbench == null) {
            line("  left out: no pgbench on the PATH (Debian: apt-get install postgresql-contrib)");
            return;
        }
        String first = scalar("select min(id) from customer_session where application_id = " + fixture.applicationId());
        String contiguous = scalar("select count(*) = max(id) - min(id) + 1 and count(*) = " + SUBSCRIBERS
                + " from customer_session where application_id = " + fixture.applicationId());
        String lineIds = scalar("select count(*) from cart_item where application_id = " + fixture.applicationId() + " and position = 9 and line_id = 10");
        if (!contiguous.equals("t") || !lineIds.equals(String.valueOf(SUBSCRIBERS))) {
            throw new IllegalStateException("the sessions' ids are not contiguous, or their lines' ids not as the script expects");
        }
        String template = SessionBenchmark.resource("bench/outbox-update.sql");
        Map<String, Path> scripts = new LinkedHashMap<>();
        scripts.put("none", script("none", template));
        scripts.put("outbox", script("outbox", template.replace("-- outbox: ", "")));
        scripts.put("notify", script("notify", template.replace("-- outbox: ", "").replace("-- notify: ", "")));
        Map<String, List<double[]>> results = new LinkedHashMap<>();
        scripts.keySet().forEach(name -> results.put(name, new ArrayList<>()));
        List<String> order = new ArrayList<>(scripts.keySet());
        String conninfo = "host=localhost port=" + port + " user=postgres dbname=postgres";
        try (Listener listener = new Listener(jdbcUrl)) {
            for (int run = 0; run < OUTBOX_RUNS; run++) {
                for (String name : order) {
                    sql("vacuum analyze");
                    sql("checkpoint");
                    results.get(name).add(runPgbench(pgbench, conninfo, scripts.get(name), fixture.applicationId(), first));
                }
                order.add(order.remove(0));
            }
            line("  notifications heard by a LISTENing connection during the notify runs: %d", listener.heard.get());
        }
        double baseline = SessionBenchmark.median(results.get("none").stream().map(r -> r[0]).toList());
        line(String.format(Locale.ROOT, "  %-8s %14s %22s %18s %10s", "variant", "median tps", "runs (tps)", "median latency ms", "÷ none"));
        results.forEach((name, runs) -> {
            List<Double> tps = runs.stream().map(r -> r[0]).toList();
            double median = SessionBenchmark.median(tps);
            line(String.format(Locale.ROOT, "  %-8s %14.0f %22s %18.2f %9.3f×", name, median,
                    tps.stream().map(t -> String.format(Locale.ROOT, "%.0f", t)).reduce((a, b) -> a + " " + b).orElse(""),
                    SessionBenchmark.median(runs.stream().map(r -> r[1]).toList()), median / baseline));
        });
        line("  by hand: pgbench -n -c %d -j 2 -M prepared -T %d -D app=%d -D first=%s -D sessions=%d -f target/bench-outbox/<variant>.sql '%s'",
                WRITERS, OUTBOX_SECONDS, fixture.applicationId(), first, SUBSCRIBERS, conninfo);
    }

    private static Path script(String name, String text) throws IOException {
        Path path = Path.of("target", "bench-outbox", name + ".sql");
        Files.createDirectories(path.getParent());
        Files.writeString(path, text, StandardCharsets.UTF_8);
        return path;
    }

    private static String pgbench() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (new File(dir, "pgbench").canExecute()) {
                return new File(dir, "pgbench").getPath();
            }
        }
        return null;
    }

    /** One pgbench run: tps (without the initial connection time) and the average latency in ms. */
    private static double[] runPgbench(String pgbench, String conninfo, Path script, long app, String first) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(pgbench, "-n", "-c", String.valueOf(WRITERS), "-j", "2", "-M", "prepared", "-T",
                String.valueOf(OUTBOX_SECONDS), "-D", "app=" + app, "-D", "first=" + first, "-D", "sessions=" + SUBSCRIBERS, "-f",
                script.toString(), conninfo).redirectErrorStream(true);
        builder.environment().put("PGPASSWORD", "postgres");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0 || output.contains("ERROR")) {
            throw new IllegalStateException("pgbench failed:\n" + output);
        }
        Matcher tps = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)").matcher(output);
        Matcher latency = Pattern.compile("latency average = ([0-9.]+) ms").matcher(output);
        if (!tps.find() || !latency.find()) {
            throw new IllegalStateException("no tps in pgbench's output:\n" + output);
        }
        return new double[] {Double.parseDouble(tps.group(1)), Double.parseDouble(latency.group(1))};
    }

    /** A connection that LISTENs on the notify variant's channel and drains what it hears, as a reader would. */
    static final class Listener implements AutoCloseable {
        final AtomicLong heard = new AtomicLong();
        private final Connection connection;
        private final Thread thread;

        Listener(String jdbcUrl) throws SQLException {
            connection = DriverManager.getConnection(jdbcUrl);
            try (Statement s = connection.createStatement()) {
                s.execute("listen session_events");
            }
            PGConnection pg = connection.unwrap(PGConnection.class);
            thread = new Thread(() -> {
                try {
                    while (!Thread.currentThread().isInterrupted()) {
                        var notifications = pg.getNotifications(200);
                        heard.addAndGet(notifications == null ? 0 : notifications.length);
                    }
                } catch (SQLException e) {
                    // closed
                }
            }, "outbox-listener");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() throws Exception {
            thread.interrupt();
            thread.join(2000);
            connection.close();
        }
    }

    // -------------------------------------------------------------------------------------------------- helpers

    @FunctionalInterface
    interface Work {
        void run() throws Exception;
    }

    /** Runs the work on {@code n} threads at once and waits for them; the first failure is thrown. */
    static void inParallel(int n, Work work) throws Exception {
        List<Thread> threads = new ArrayList<>();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        for (int t = 0; t < n; t++) {
            Thread thread = new Thread(() -> {
                try {
                    work.run();
                } catch (Throwable e) {
                    failed.compareAndSet(null, e);
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        if (failed.get() != null) {
            throw new IllegalStateException(failed.get());
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private void line(String text) {
        report.append(text).append('\n');
    }

    private void line(String format, Object... arguments) {
        line(String.format(Locale.ROOT, format, arguments));
    }

    private void sql(String statement) throws SQLException {
        SessionBenchmark.sql(jdbcUrl, statement);
    }

    private String scalar(String query) throws SQLException {
        return SessionBenchmark.scalar(jdbcUrl, query);
    }
}
