package dev.customersessions.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A webhook receiver for tests: an HTTP server on 127.0.0.1 that keeps every request it gets, by path, and answers each
 * path with the status its rule gives (200 unless set). {@link #verify} checks a request's signature as docs/webhooks.md
 * tells receivers to, independently of the service's own signing code.
 */
public final class WebhookReceiver implements AutoCloseable {

    /** One request as received. */
    public record Received(String path, String id, String timestamp, String signature, String body, Instant at) {
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, IntSupplier> rules = new ConcurrentHashMap<>();

    public WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        server.createContext("/", this::handle);
        server.start();
    }

    /** The URL of a path of the receiver, http://127.0.0.1:<port><path>. */
    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Answers requests to the path with the status the rule gives, from now on. */
    public void answer(String path, IntSupplier status) {
        rules.put(path, status);
    }

    /** The requests to the path so far, in the order they came. */
    public List<Received> requests(String path) {
        List<Received> of = new ArrayList<>();
        received.stream().filter(r -> r.path().equals(path)).forEach(of::add);
        return of;
    }

    /** The requests to the path once there are at least {@code count} (within 20 seconds, else fails). */
    public List<Received> awaitRequests(String path, int count) {
        eventually(Duration.ofSeconds(20), () -> requests(path).size() >= count, () -> "requests to " + path + ": " + requests(path));
        return requests(path);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        received.add(new Received(path, exchange.getRequestHeaders().getFirst("webhook-id"),
                exchange.getRequestHeaders().getFirst("webhook-timestamp"), exchange.getRequestHeaders().getFirst("webhook-signature"),
                body, Instant.now()));
        int status = rules.getOrDefault(path, () -> 200).getAsInt();
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    /**
     * Whether the request is signed with the secret, as docs/webhooks.md verifies it: the timestamp within five minutes
     * of now, and one of the header's v1 signatures equal (compared in constant time) to the base64 HMAC-SHA256, keyed
     * with the base64-decoded secret after whsec_, of {@code id.timestamp.body}.
     */
    public static boolean verify(Received request, String secret) throws Exception {
        long timestamp = Long.parseLong(request.timestamp());
        if (Math.abs(Instant.now().getEpochSecond() - timestamp) > 5 * 60) {
            return false;
        }
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
        byte[] expected = mac.doFinal((request.id() + "." + request.timestamp() + "." + request.body()).getBytes(StandardCharsets.UTF_8));
        for (String signature : request.signature().split(" ")) {
            if (signature.startsWith("v1,")
                    && MessageDigest.isEqual(expected, Base64.getDecoder().decode(signature.substring("v1,".length())))) {
                return true;
            }
        }
        return false;
    }

    /** Waits until the condition holds, checking every 50 ms; fails with the description after {@code within}. */
    public static void eventually(Duration within, BooleanSupplier condition, java.util.function.Supplier<String> description) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + within + ": " + description.get());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
