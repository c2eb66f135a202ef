package dev.customersessions.bench;

import java.io.File;
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
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PostGraphile 4, the benchmark's peer: installed with npm into target/postgraphile-peer on first use, serving the
 * service's tables through the scratch schema cs_peer (views, computed columns for the totals and a cart-update
 * function; src/test/resources/bench/postgraphile-peer.sql), which the benchmark drops at the end.
 */
final class PostGraphile extends SessionBenchmark.Child {

    static final String PACKAGE = "postgraphile@4";
    private static final Path HOME = Path.of("target", "postgraphile-peer");
    /**
     * A production set-up: no GraphiQL, no query log, one Node process per core (15-20 % more reads than one process
     * here); JSON variables as JSON and bodies up to 2 MB (a 1000-item cart is about 114 kB).
     */
    static final List<String> OPTIONS = List.of("--disable-query-log", "--disable-graphiql", "--no-setof-functions-contain-nulls",
            "--no-ignore-rbac", "--legacy-relations", "omit", "--dynamic-json", "--body-size-limit", "2MB",
            "--cluster-workers", String.valueOf(Runtime.getRuntime().availableProcessors()));

    private final int port;

    private PostGraphile(Process process, int port) {
        super(process);
        this.port = port;
    }

    /** Started and answering; null when Node.js or npm is missing. */
    static PostGraphile start(String jdbcUrl, int port) throws Exception {
        if (!found("node") || !found("npm")) {
            return null;
        }
        Path bin = HOME.resolve("node_modules/.bin/postgraphile");
        if (!Files.isExecutable(bin)) {
            Files.createDirectories(HOME);
            exec(List.of("npm", "install", "--prefix", HOME.toString(), "--no-audit", "--no-fund", "--loglevel=error", PACKAGE));
        }
        try (Connection c = DriverManager.getConnection(jdbcUrl); Statement s = c.createStatement()) {
            s.execute(SessionBenchmark.resource("bench/postgraphile-peer.sql"));
        }
        Matcher url = Pattern.compile("jdbc:postgresql://([^/]+)/([^?]+)\\?user=([^&]+)").matcher(jdbcUrl);
        if (!url.find()) {
            throw new IllegalStateException("cannot turn " + jdbcUrl + " into a connection string");
        }
        List<String> command = new ArrayList<>(List.of(bin.toString(), "-c",
                "postgres://" + url.group(3) + "@" + url.group(1) + "/" + url.group(2), "--schema", "cs_peer", "--host", "127.0.0.1",
                "--port", String.valueOf(port)));
        command.addAll(OPTIONS);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("NODE_ENV", "production");
        Process process = builder.redirectErrorStream(true).redirectOutput(new File("target/benchmark-postgraphile.log")).start();
        PostGraphile peer = new PostGraphile(process, port);
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest probe = HttpRequest.newBuilder(peer.endpoint()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"{ __typename }\"}")).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && process.isAlive()) {
            try {
                if (http.send(probe, HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    return peer;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        peer.close();
        throw new IllegalStateException("PostGraphile did not start; see target/benchmark-postgraphile.log");
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + port + "/graphql");
    }

    String version() throws IOException {
        Matcher version = Pattern.compile("\"version\"\\s*:\\s*\"([^\"]+)\"")
                .matcher(Files.readString(HOME.resolve("node_modules/postgraphile/package.json"), StandardCharsets.UTF_8));
        return version.find() ? version.group(1) : "4";
    }

    String nodeVersion() throws Exception {
        Process node = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
        String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        node.waitFor();
        return out;
    }

    String options() {
        return String.join(" ", OPTIONS);
    }

    /** Resident memory of PostGraphile's processes (the master and its workers). */
    @Override
    long residentKiB() {
        long total = super.residentKiB();
        for (ProcessHandle child : process.descendants().toList()) {
            try {
                total += Files.readAllLines(Path.of("/proc/" + child.pid() + "/status")).stream().filter(l -> l.startsWith("VmRSS:"))
                        .map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).findFirst().orElse(0L);
            } catch (IOException gone) {
                // ended meanwhile
            }
        }
        return total;
    }

    private static boolean found(String program) {
        try {
            return new ProcessBuilder(program, "--version").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static void exec(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(new File("target/postgraphile-peer-install.log")).start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException("failed: " + String.join(" ", command));
        }
    }
}
