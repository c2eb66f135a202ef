package dev.customersessions.support;

import static io.restassured.RestAssured.given;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A second instance of the packaged application (the JAR, or the native binary under -Dnative: {@link PackagedArtifact}), on
 * ports of its own and the same database as the one the test framework started: two replicas, as on Kubernetes.
 */
public final class SecondInstance implements AutoCloseable {

    public final int port;
    private final int managementPort;
    private final Process process;

    private SecondInstance(int port, int managementPort, Process process) {
        this.port = port;
        this.managementPort = managementPort;
        this.process = process;
    }

    public static SecondInstance start(int port, int managementPort) throws IOException, InterruptedException {
        return start(port, managementPort, List.of());
    }

    /** With more system properties ({@code -Dname=value}), which win over the database's given here. */
    public static SecondInstance start(int port, int managementPort, List<String> more) throws IOException, InterruptedException {
        List<String> options = new ArrayList<>();
        options.add("-Dquarkus.http.port=" + port);
        options.add("-Dquarkus.management.port=" + managementPort);
        options.add("-Dcustomer-sessions.management-key=test-management-key");
        PackagedAppDatabase.LARGE_BUCKETS.forEach((property, value) -> options.add("-D" + property + "=" + value));
        String url = PackagedAppDatabase.jdbcUrl();
        if (url != null) { // else QUARKUS_DATASOURCE_* from the environment, as the first instance has it
            options.add("-Dquarkus.datasource.jdbc.url=" + url);
            options.add("-Dquarkus.datasource.username=postgres");
            options.add("-Dquarkus.datasource.password=postgres");
        }
        options.addAll(more); // the JVM and Quarkus take the last of two values of a property
        List<String> command = PackagedArtifact.built().command(options);
        File log = new File("target/second-instance.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
        SecondInstance instance = new SecondInstance(port, managementPort, process);
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!instance.ready()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                instance.close();
                throw new IllegalStateException("the second instance did not start; see " + log);
            }
            Thread.sleep(200);
        }
        return instance;
    }

    private boolean ready() {
        try {
            return given().port(managementPort).get("/q/health/ready").statusCode() == 200;
        } catch (Exception notYet) { // RestAssured throws ConnectException unchecked
            return false;
        }
    }

    /** Kills the instance as a crashed node dies (SIGKILL): no shutdown, no close frame; its connections just break. */
    public void kill() throws InterruptedException {
        process.destroyForcibly(); // SIGKILL on Linux and macOS
        process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
