package dev.customersessions.support;

import static io.restassured.RestAssured.given;

import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A second instance of the packaged application (the JAR, or the native binary under -Dnative: {@link PackagedArtifact}), on
 * ports of its own and the same database as the one the test framework started: two replicas, as on Kubernetes.
 */
public final class SecondInstance implements AutoCloseable {

    public final int port;
    public final int managementPort;
    private final Process process;

    private SecondInstance(int port, int managementPort, Process process) {
        this.port = port;
        this.managementPort = managementPort;
        this.process = process;
    }

    public static SecondInstance start(int port, int managementPort) throws IOException, InterruptedException {
        return start(port, managementPort, "second-instance", Map.of());
    }

    /** With more system properties ({@code -Dname=value}), which win over the database's given here. */
    public static SecondInstance start(int port, int managementPort, List<String> more) throws IOException, InterruptedException {
        return start(port, managementPort, PackagedAppDatabase.jdbcUrl(), "second-instance", Map.of(), more);
    }

    /**
     * Starts an instance logging to {@code target/<name>.log}, with these environment variables added (as a pod gets
     * its ConfigMap's), and waits until it is ready.
     */
    public static SecondInstance start(int port, int managementPort, String name, Map<String, String> environment)
            throws IOException, InterruptedException {
        return start(port, managementPort, PackagedAppDatabase.jdbcUrl(), name, environment, List.of());
    }

    /**
     * An instance on the database of this JDBC URL (user and password postgres; null: QUARKUS_DATASOURCE_* from the
     * environment), logging to {@code target/<name>.log}, with these environment variables and system properties
     * ({@code -Dname=value}, which win over the database's given here) added, once it is ready.
     */
    public static SecondInstance start(int port, int managementPort, String url, String name, Map<String, String> environment,
            List<String> more) throws IOException, InterruptedException {
        Map<String, String> variables = new java.util.HashMap<>();
        PackagedAppDatabase.NO_SHUTDOWN_DELAY.forEach(
                (property, value) -> variables.put(ApplicationSettings.environmentVariableOf(property), value));
        variables.putAll(environment);
        List<String> options = new ArrayList<>();
        options.add("-Dquarkus.http.port=" + port);
        options.add("-Dquarkus.management.port=" + managementPort);
        options.add("-Dcustomer-sessions.management-key=test-management-key");
        PackagedAppDatabase.LARGE_BUCKETS.forEach((property, value) -> options.add("-D" + property + "=" + value));
        if (url != null) { // else QUARKUS_DATASOURCE_* from the environment, as the first instance has it
            options.add("-Dquarkus.datasource.jdbc.url=" + url);
            options.add("-Dquarkus.datasource.username=postgres");
            options.add("-Dquarkus.datasource.password=postgres");
        }
        options.addAll(more); // the JVM and Quarkus take the last of two values of a property
        List<String> command = PackagedArtifact.built().command(options);
        File log = new File("target/" + name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log);
        builder.environment().putAll(variables);
        Process process = builder.start();
        SecondInstance instance = new SecondInstance(port, managementPort, process);
        long deadline = System.nanoTime() + 120_000_000_000L; // a start on a busy machine, under load, has taken 50 s
        while (!instance.ready()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                instance.close();
                throw new IllegalStateException("the instance " + name + " did not start; see " + log);
            }
            Thread.sleep(200);
        }
        return instance;
    }

    /** Whether its readiness check answers UP (200) now. */
    public boolean ready() {
        return readiness() == 200;
    }

    /** The status of its readiness check (503: DOWN), or 0 when the management port does not answer. */
    public int readiness() {
        try {
            return given().port(managementPort).get("/q/health/ready").statusCode();
        } catch (Exception notAnswering) { // RestAssured throws ConnectException unchecked
            return 0;
        }
    }

    /** Stops it as Kubernetes does (SIGTERM): a graceful shutdown, whose end {@link #awaitExit} waits for. */
    public void terminate() {
        process.destroy(); // SIGTERM on Linux and macOS
    }

    /** Waits at most this long for the process to end; whether it did. */
    public boolean awaitExit(Duration atMost) throws InterruptedException {
        return process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The process id. */
    public long pid() {
        return process.pid();
    }

    /** The management port's /q/metrics, as Prometheus scrapes it. */
    public String metrics() {
        return given().port(managementPort).get("/q/metrics").asString();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Kills the instance as a crashed node dies (SIGKILL): no shutdown, no close frame; its connections just break. */
    public void kill() throws InterruptedException {
        process.destroyForcibly(); // SIGKILL on Linux and macOS
        process.waitFor(20, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
