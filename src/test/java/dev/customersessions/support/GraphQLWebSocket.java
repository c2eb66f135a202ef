package dev.customersessions.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonObject;

/**
 * A graphql-transport-ws client over the JDK's WebSocket, as a test speaks to the service: every message received is
 * queued with the moment it arrived, and the close code and reason are kept. Each call waits a bounded time.
 */
public final class GraphQLWebSocket implements AutoCloseable {

    public static final Duration WAIT = Duration.ofSeconds(10);

    /** A message and the moment ({@link System#nanoTime()}) it arrived. */
    public record Received(JsonPath message, long nanos) {
    }

    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<int[]> closedCode = new CompletableFuture<>();
    private volatile String closeReason;
    private final WebSocket socket;

    private final boolean answersPings;
    private volatile boolean reads;

    private GraphQLWebSocket(String origin, int port) {
        this(origin, port, true, true);
    }

    /**
     * @param answersPings whether the client answers the service's pings (as graphql-ws does) as they arrive
     * @param reads        whether it reads everything sent; otherwise only the first message, as a client that stalls
     */
    private GraphQLWebSocket(String origin, int port, boolean answersPings, boolean reads) {
        this.answersPings = answersPings;
        this.reads = reads;
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder().subprotocols("graphql-transport-ws")
                .connectTimeout(WAIT);
        if (origin != null) {
            builder.header("Origin", origin);
        }
        socket = builder.buildAsync(URI.create("ws://localhost:" + port + "/graphql"), new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    String text = partial.toString();
                    partial.setLength(0);
                    // The type is read with a plain JSON parser: a JsonPath expression takes milliseconds, and a client
                    // that reads hundreds of events would answer the service's pings too late (closed as idle).
                    boolean ping = "ping".equals(new JsonObject(text).getValue("type"));
                    JsonPath message = JsonPath.from(text);
                    if (answersPings && ping) {
                        webSocket.sendText("{\"type\":\"pong\"}", true);
                    } else {
                        received.add(new Received(message, System.nanoTime()));
                    }
                }
                if (GraphQLWebSocket.this.reads || received.isEmpty()) {
                    webSocket.request(1);
                }
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                closeReason = reason;
                closedCode.complete(new int[] { statusCode });
                return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
                closedCode.complete(new int[] { -1 });
            }
        }).orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    /** A connection to the service under test, not yet initialised. */
    public static GraphQLWebSocket open() {
        return new GraphQLWebSocket(null, RestAssured.port);
    }

    /** A connection that never answers pings. */
    public static GraphQLWebSocket openSilent() {
        return new GraphQLWebSocket(null, RestAssured.port, false, true);
    }

    /** A connection that stops reading after its first messages (connection_ack): a client too slow for its events. */
    public static GraphQLWebSocket openStalling(String authorization) {
        GraphQLWebSocket socket = new GraphQLWebSocket(null, RestAssured.port, true, false);
        socket.init(authorization);
        assertEquals("connection_ack", socket.next().getString("type"));
        return socket;
    }

    /** A connection from a web page of the origin. */
    public static GraphQLWebSocket openFrom(String origin) {
        return new GraphQLWebSocket(origin, RestAssured.port);
    }

    /** A connection to another instance's port. */
    public static GraphQLWebSocket open(int port) {
        return new GraphQLWebSocket(null, port);
    }

    /** A connection initialised with the authorization and acknowledged. */
    public static GraphQLWebSocket connect(String authorization) {
        return connect(RestAssured.port, authorization);
    }

    /** A connection to another instance's port, initialised with the authorization and acknowledged. */
    public static GraphQLWebSocket connect(int port, String authorization) {
        GraphQLWebSocket socket = open(port);
        socket.init(authorization);
        assertEquals("connection_ack", socket.next().getString("type"));
        return socket;
    }

    /** A stalled client reads again: what the service sent meanwhile arrives, its close included. */
    public void resume() {
        reads = true;
        socket.request(Long.MAX_VALUE / 2);
    }

    public void send(Map<String, ?> message) {
        socket.sendText(new JsonObject(Map.copyOf(message)).encode(), true).orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    public void sendText(String text) {
        socket.sendText(text, true).orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    public void init(String authorization) {
        send(authorization == null ? Map.of("type", "connection_init") : Map.of("type", "connection_init", "payload", Map.of("Authorization", authorization)));
    }

    /** Starts a subscription with the document and variables. */
    public void subscribe(String id, String document, Map<String, ?> variables) {
        send(Map.of("id", id, "type", "subscribe", "payload", Map.of("query", document, "variables", variables)));
    }

    public void complete(String id) {
        send(Map.of("id", id, "type", "complete"));
    }

    /** The next message, skipping pings; fails after {@link #WAIT}. */
    public JsonPath next() {
        return next(WAIT);
    }

    public JsonPath next(Duration wait) {
        Received next = pollReceived(wait);
        assertNotNull(next, "no message within " + wait);
        return next.message();
    }

    /** The next message if one arrives within the wait (pings skipped), else null. */
    public JsonPath poll(Duration wait) {
        Received next = pollReceived(wait);
        return next == null ? null : next.message();
    }

    /** The next message with the moment it arrived, if one arrives within the wait (pings answered and skipped), else null. */
    public Received pollReceived(Duration wait) {
        try {
            long until = System.nanoTime() + wait.toNanos();
            while (true) {
                Received next = received.poll(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (next == null || !"ping".equals(next.message().getString("type"))) {
                    return next;
                }
                send(Map.of("type", "pong"));
            }
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The next message for the subscription, asserted to be "next" without errors: its data. */
    public Map<String, Object> data(String id) {
        JsonPath message = next();
        assertEquals(id, message.getString("id"), message::prettify);
        assertEquals("next", message.getString("type"), message::prettify);
        assertEquals((Object) null, message.get("payload.errors"), message::prettify);
        return message.getMap("payload.data");
    }

    /** The code the service closed the connection with; fails if it stays open past the wait. */
    public int closeCode(Duration wait) {
        return closedCode.orTimeout(wait.toMillis(), TimeUnit.MILLISECONDS).join()[0];
    }

    public String closeReason() {
        return closeReason;
    }

    public List<JsonPath> drained() {
        List<Received> all = new java.util.ArrayList<>();
        received.drainTo(all);
        return all.stream().map(Received::message).toList();
    }

    /** Whether the connection has ended (closed by either side, or broken). */
    public boolean isClosed() {
        return closedCode.isDone();
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        }
        socket.abort();
    }
}
