package dev.customersessions.support;

import static io.restassured.RestAssured.given;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A second instance of the packaged application (the JAR, or the native binary where only that was built), on
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
        List<String> command = new ArrayList<>();
        File jar = new File("target/quarkus-app/quarkus-run.jar");
        String nativeImage = System.getProperty("native.image.path");
        if (jar.isFile()) {
            command.add(ProcessHandle.current().info().command().orElse("java"));
        } else if (nativeImage != null && new File(nativeImage).canExecute()) {
            command.add(nativeImage);
        } else {
            throw new IllegalStateException("neither target/quarkus-app/quarkus-run.jar nor a native binary was built");
        }
        command.add("-Dquarkus.http.port=" + port);
        command.add("-Dquarkus.management.port=" + managementPort);
        command.add("-Dcustomer-sessions.management-key=test-management-key");
        PackagedAppDatabase.LARGE_BUCKETS.forEach((property, value) -> command.add("-D" + property + "=" + value));
        String url = PackagedAppDatabase.jdbcUrl();
        if (url != null) { // else QUARKUS_DATASOURCE_* from the environment, as the first instance has it
            command.add("-Dquarkus.datasource.jdbc.url=" + url);
            command.add("-Dquarkus.datasource.username=postgres");
            command.add("-Dquarkus.datasource.password=postgres");
        }
        if (jar.isFile()) {
            command.add("-jar");
            command.add(jar.getPath());
        }
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

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
