package dev.customersessions.support;

import java.io.File;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * HAProxy in front of instances of the application, standing in for a Kubernetes Service: connections (not requests:
 * TCP mode, as kube-proxy) spread over the instances whose readiness check answers UP, checked as the readiness probe
 * checks it ({@link ShutdownTimings}: period, failure threshold, timeout). Like a Service it never retries: a
 * connection that reaches an instance stays there, and a failed one fails for the client ({@code retries 0}, no
 * redispatch). Needs Debian's haproxy; without it the test is left out, saying so (with CI set it fails).
 */
public final class LocalProxy implements AutoCloseable {

    public final int port;
    private final Process process;

    private LocalProxy(int port, Process process) {
        this.port = port;
        this.process = process;
    }

    /** HAProxy's executable; or the test is left out (call it before starting anything). */
    public static String haproxy(String test) {
        return ExternalTools.require(test, "apt-get install haproxy", "haproxy", "/usr/sbin/haproxy");
    }

    /** Starts HAProxy on the port, balancing over the instances; its configuration and log in target/. */
    public static LocalProxy start(String test, int port, ShutdownTimings timings, List<SecondInstance> instances)
            throws IOException, InterruptedException {
        String haproxy = haproxy(test);
        StringBuilder config = new StringBuilder("""
                defaults
                    mode tcp
                    timeout connect 2s
                    timeout client 60s
                    timeout server 60s
                    timeout check %dms
                    retries 0
                frontend service
                    bind 127.0.0.1:%d
                    default_backend pods
                backend pods
                    balance roundrobin
                    option httpchk GET /q/health/ready
                    http-check expect status 200
                    default-server inter %dms fall %d rise 1
                """.formatted(timings.readinessTimeout().toMillis(), port, timings.readinessPeriod().toMillis(),
                timings.readinessFailureThreshold()));
        for (int i = 0; i < instances.size(); i++) {
            SecondInstance instance = instances.get(i);
            config.append("    server pod").append(i).append(" 127.0.0.1:").append(instance.port).append(" check port ")
                    .append(instance.managementPort).append('\n');
        }
        Path file = Path.of("target", test + "-haproxy.cfg");
        Files.writeString(file, config);
        File log = new File("target/" + test + "-haproxy.log");
        Process process = new ProcessBuilder(haproxy, "-db", "-f", file.toString()).redirectErrorStream(true)
                .redirectOutput(log).start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!accepts(port)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IllegalStateException("haproxy did not start; see " + log + " and " + file);
            }
            Thread.sleep(100);
        }
        return new LocalProxy(port, process);
    }

    /** Whether something accepts TCP connections on the port of this machine now. */
    public static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
