package dev.customersessions.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import org.jboss.logging.Logger;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;

import dev.customersessions.CustomerSessionsConfig;
import dev.customersessions.application.ApiKeyGrant;
import dev.customersessions.auth.Caller;
import graphql.ExecutionResult;
import graphql.execution.SubscriptionExecutionStrategy;
import io.quarkus.arc.Arc;
import io.quarkus.arc.InjectableContext;
import io.quarkus.arc.ManagedContext;
import io.quarkus.smallrye.graphql.runtime.SmallRyeGraphQLAbstractHandler;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.smallrye.graphql.execution.ExecutionResponse;
import io.smallrye.graphql.execution.ExecutionResponseWriter;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.RoutingContext;

/**
 * GraphQL subscriptions over WebSocket with the graphql-transport-ws protocol (GET /graphql with
 * {@code Sec-WebSocket-Protocol: graphql-transport-ws}; docs/events.md), in place of SmallRye's own handler: the
 * credentials come from the connection_init payload ({@code {"Authorization": "ApiKey-v1 <key>"}}, as a browser
 * cannot set headers on a WebSocket) and are checked as for any request ({@link Caller}, the upgrade request's
 * Origin included); everything is bounded: connections per instance, the time to connection_init (4408),
 * subscriptions per connection and per key, the bytes waiting to be sent to a slow client (1013), silence (1001). A
 * revoked key's connections close (4403) as soon as the instance hears of it (the cache listener), and its key is
 * checked again every half minute in any case. Each subscription runs through SmallRye's execution service, so the
 * schema's limits, rate limits and errors are those of POST /graphql.
 */
final class GraphQLWebSocketHandler extends SmallRyeGraphQLAbstractHandler {

    private static final Logger LOG = Logger.getLogger("dev.customersessions.graphql");

    static final String PROTOCOL = "graphql-transport-ws";

    private final CurrentVertxRequest currentRequest;
    private final CustomerSessionsConfig.Events.Subscriptions limits;
    private final Map<Long, AtomicInteger> subscriptionsByKey = new ConcurrentHashMap<>();
    private final Map<Connection, Boolean> connections = new ConcurrentHashMap<>();
    /**
     * Connections open or being upgraded: taken before the upgrade, given back when it fails or the connection ends, so
     * that a burst of upgrades on several event loops cannot pass the limit together.
     */
    private final AtomicInteger openConnections = new AtomicInteger();

    GraphQLWebSocketHandler(CurrentVertxRequest currentRequest, CustomerSessionsConfig config) {
        super(null, currentRequest, true);
        this.currentRequest = currentRequest;
        this.limits = config.events().subscriptions();
    }

    /** Whether the request asks to open a graphql-transport-ws WebSocket. */
    static boolean isUpgrade(RoutingContext context) {
        String upgrade = context.request().getHeader("Upgrade");
        return upgrade != null && upgrade.equalsIgnoreCase("websocket");
    }

    /** Called when an API key changed on any instance: the connections holding it check it again. */
    void keyChanged(String keyHash) {
        connections.keySet().stream().filter(c -> keyHash.equals(c.keyHash)).forEach(Connection::recheckKey);
    }

    /** Checks every connection's key again (a fallback for a missed or unheard change). */
    void recheckKeys() {
        connections.keySet().forEach(Connection::recheckKey);
    }

    /** Closes every connection, as the instance stops. */
    void closeAll() {
        connections.keySet().forEach(c -> c.close((short) 1001, "The service is restarting: reconnect"));
    }

    @Override
    protected void doHandle(RoutingContext context) {
        String offered = context.request().getHeader("Sec-WebSocket-Protocol");
        if (offered == null || List.of(offered.split(",")).stream().map(String::trim).noneMatch(PROTOCOL::equals)) {
            context.response().setStatusCode(400).putHeader("Content-Type", "text/plain; charset=utf-8")
                    .end("Subscriptions speak the graphql-transport-ws protocol: ask for it in Sec-WebSocket-Protocol");
            return;
        }
        if (openConnections.incrementAndGet() > limits.maxConnections()) {
            openConnections.decrementAndGet();
            context.response().setStatusCode(503).putHeader("Retry-After", "5").putHeader("Content-Type", "text/plain; charset=utf-8")
                    .end("Too many WebSocket connections on this instance (customer-sessions.events.subscriptions.max-connections)");
            return;
        }
        context.request().toWebSocket().onSuccess(socket -> new Connection(context, socket).start()).onFailure(failure -> {
            openConnections.decrementAndGet();
            LOG.debugf("WebSocket upgrade failed: %s", failure.getMessage());
        });
    }

    /**
     * Why the document cannot run here, or null: only subscriptions are served over WebSocket (queries and mutations
     * are POSTed, where Idempotency-Keys and HTTP status codes apply). A document that does not parse, or names no
     * operation it has, is left to the execution, which reports it as for HTTP.
     */
    static String notASubscription(String document, String operationName) {
        try {
            graphql.language.Document parsed = graphql.parser.Parser.parse(document);
            List<graphql.language.OperationDefinition> operations = parsed.getDefinitionsOfType(graphql.language.OperationDefinition.class);
            graphql.language.OperationDefinition chosen = operations.stream()
                    .filter(o -> operationName == null ? operations.size() == 1 : operationName.equals(o.getName())).findFirst().orElse(null);
            return chosen == null || chosen.getOperation() == graphql.language.OperationDefinition.Operation.SUBSCRIPTION ? null
                    : "Only subscriptions are served over WebSocket: send queries and mutations with POST /graphql";
        } catch (RuntimeException unparseable) {
            return null;
        }
    }

    /**
     * Tells Quarkus's graceful shutdown that the connection's upgrade request is over: it counts each request until
     * its response ends, which an upgraded one never does, so that every WebSocket ever opened would hold shutdown up
     * for its whole timeout. {@code QuarkusRequestWrapper.done()} is not public; it is idempotent.
     * {@code SubscriptionsTest} (a restart after connections) and {@code EngineUpstreamTest} pin it.
     */
    static void upgradeDone(RoutingContext upgrade) {
        try {
            io.quarkus.vertx.http.runtime.filters.QuarkusRequestWrapper wrapper =
                    io.quarkus.vertx.http.runtime.filters.QuarkusRequestWrapper.get(upgrade.request());
            if (wrapper != null) {
                java.lang.reflect.Method done = wrapper.getClass().getDeclaredMethod("done");
                done.setAccessible(true);
                done.invoke(wrapper);
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debugf("The upgrade request could not be marked done (%s): shutdown waits its timeout", e.toString());
        }
    }

    /** One WebSocket connection: its state, its subscriptions, its timers. */
    private final class Connection {
        private final RoutingContext upgrade;
        private final ServerWebSocket socket;
        private final Vertx vertx;
        private final Map<String, Operation> operations = new ConcurrentHashMap<>();
        private volatile String authorization;
        private volatile String keyHash;
        private volatile ApiKeyGrant key;
        private volatile boolean initReceived;
        private volatile boolean acknowledged;
        private volatile boolean closed;
        private volatile long lastHeard = System.nanoTime();
        private long initTimer = -1;
        private long pingTimer = -1;
        private long keyTimer = -1;

        Connection(RoutingContext upgrade, ServerWebSocket socket) {
            this.upgrade = upgrade;
            this.socket = socket;
            this.vertx = upgrade.vertx();
        }

        void start() {
            connections.put(this, Boolean.TRUE);
            socket.setWriteQueueMaxSize(limits.sendBufferBytes());
            socket.textMessageHandler(this::onMessage);
            socket.binaryMessageHandler(data -> close((short) 4400, "Messages are JSON text"));
            socket.pongHandler(data -> lastHeard = System.nanoTime());
            socket.closeHandler(nothing -> ended());
            socket.exceptionHandler(failure -> LOG.debugf("WebSocket failed: %s", failure.getMessage()));
            initTimer = vertx.setTimer(limits.initTimeout().toMillis(), id -> {
                if (!initReceived) {
                    close((short) 4408, "Connection initialisation timeout");
                }
            });
            long idle = Math.max(1000, limits.idleTimeout().toMillis());
            pingTimer = vertx.setPeriodic(Math.max(300, idle / 3), id -> {
                if (System.nanoTime() - lastHeard > idle * 1_000_000L) {
                    close((short) 1001, "Idle for too long: nothing heard for " + limits.idleTimeout().toSeconds() + " s");
                } else if (acknowledged) {
                    send(Json.createObjectBuilder().add("type", "ping").build());
                }
            });
        }

        private void onMessage(String text) {
            lastHeard = System.nanoTime();
            if (text.length() > 1_000_000) {
                close((short) 4400, "Message too large");
                return;
            }
            JsonObject message;
            try {
                message = inputToJsonObject(text);
            } catch (RuntimeException e) {
                close((short) 4400, "Invalid message: not a JSON object");
                return;
            }
            String type = message.get("type") instanceof JsonString s ? s.getString() : null;
            if (type == null) {
                close((short) 4400, "Invalid message: no type");
                return;
            }
            switch (type) {
                case "connection_init" -> init(message);
                case "ping" -> send(Json.createObjectBuilder().add("type", "pong").build());
                case "pong" -> {
                }
                case "subscribe" -> subscribe(message);
                case "complete" -> {
                    String id = message.get("id") instanceof JsonString s ? s.getString() : null;
                    Operation operation = id == null ? null : operations.remove(id);
                    if (operation != null) {
                        operation.cancel();
                    }
                }
                default -> close((short) 4400, "Invalid message type: " + ErrorCodes.shorter(type));
            }
        }

        private void init(JsonObject message) {
            if (initReceived) {
                close((short) 4429, "Too many initialisation requests");
                return;
            }
            initReceived = true;
            vertx.cancelTimer(initTimer);
            String given = null;
            if (message.get("payload") instanceof JsonObject payload) {
                for (Map.Entry<String, JsonValue> entry : payload.entrySet()) {
                    if (entry.getKey().equalsIgnoreCase("Authorization") && entry.getValue() instanceof JsonString value) {
                        given = value.getString();
                    }
                }
            }
            authorization = given;
            onWorker(() -> withCaller(Caller::apiKey)).onComplete(checked -> {
                if (closed) {
                    return; // gone while its key was checked: nothing to start
                }
                if (checked.failed()) {
                    close((short) 4403, "Forbidden: " + ErrorCodes.shorter(checked.cause().getMessage()));
                    return;
                }
                key = checked.result();
                keyHash = dev.customersessions.application.KeyHashing.sha256Hex(authorization.substring(authorization.indexOf(' ') + 1).trim());
                acknowledged = true;
                send(Json.createObjectBuilder().add("type", "connection_ack").build());
                keyTimer = vertx.setPeriodic(30_000, id -> recheckKey());
            });
        }

        /**
         * Runs blocking work on a worker thread, in a Vert.x context of its own. Quarkus keeps the active request context
         * in the Vert.x duplicated context, and the connection's handlers all run on the upgrade's one: work started from
         * them on its own would share one slot, so that one subscription starting could activate its request context over
         * another's, or end it beneath it (SubscriptionsTest: subscriptions starting together on one connection).
         */
        private <T> io.vertx.core.Future<T> onWorker(java.util.concurrent.Callable<T> work) {
            return io.smallrye.common.vertx.VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext()).executeBlocking(work, false);
        }

        /** Runs the work with this connection's credentials in a request context of its own (on a worker thread). */
        private <T> T withCaller(java.util.function.Function<Caller, T> work) {
            ManagedContext requests = Arc.container().requestContext();
            requests.activate();
            try {
                currentRequest.setCurrent(upgrade);
                Caller caller = Arc.container().instance(Caller.class).get();
                caller.useConnectionCredentials(authorization);
                return work.apply(caller);
            } finally {
                requests.terminate();
            }
        }

        void recheckKey() {
            if (key == null || closed) {
                return;
            }
            onWorker(() -> withCaller(caller -> caller.presentedKey().isPresent())).onComplete(checked -> {
                if (checked.succeeded() && !checked.result()) {
                    close((short) 4403, "Forbidden: the API key was revoked");
                }
            });
        }

        private void subscribe(JsonObject message) {
            if (!acknowledged) {
                close((short) 4401, "Unauthorized");
                return;
            }
            String id = message.get("id") instanceof JsonString s ? s.getString() : null;
            if (id == null || id.isEmpty() || id.length() > 128 || !(message.get("payload") instanceof JsonObject payload)
                    || !(payload.get("query") instanceof JsonString)) {
                close((short) 4400, "Invalid subscribe message: it needs an id (at most 128 characters) and a payload with a query");
                return;
            }
            if (operations.containsKey(id)) {
                close((short) 4409, "Subscriber for " + ErrorCodes.shorter(id) + " already exists");
                return;
            }
            if (operations.size() >= limits.perConnection()) {
                refuse(id, ErrorCodes.LIMIT_EXCEEDED, "This connection holds " + operations.size() + " subscriptions, the most allowed "
                        + "(customer-sessions.events.subscriptions.per-connection): complete one first");
                return;
            }
            AtomicInteger ofKey = subscriptionsByKey.computeIfAbsent(key.keyId(), k -> new AtomicInteger());
            if (ofKey.incrementAndGet() > limits.perKey()) {
                ofKey.decrementAndGet();
                refuse(id, ErrorCodes.LIMIT_EXCEEDED, "This API key holds " + limits.perKey() + " subscriptions on this instance, the most "
                        + "allowed (customer-sessions.events.subscriptions.per-key)");
                return;
            }
            String notSubscription = notASubscription(((JsonString) payload.get("query")).getString(),
                    payload.get("operationName") instanceof JsonString name ? name.getString() : null);
            if (notSubscription != null) {
                ofKey.decrementAndGet();
                refuse(id, ErrorCodes.BAD_REQUEST, notSubscription);
                return;
            }
            Operation operation = new Operation(id, ofKey);
            operations.put(id, operation);
            onWorker(() -> {
                operation.execute(payload);
                return null;
            }).onFailure(failure -> operation.failed(failure));
        }

        private void refuse(String id, String code, String message) {
            send(refusal(id, code, message));
        }

        private JsonObject refusal(String id, String code, String message) {
            return Json.createObjectBuilder().add("id", id).add("type", "error").add("payload", Json.createArrayBuilder()
                    .add(Json.createObjectBuilder().add("message", message).add("extensions", Json.createObjectBuilder().add("code", code))))
                    .build();
        }

        void send(JsonObject message) {
            if (closed) {
                return;
            }
            if (socket.writeQueueFull()) {
                close((short) 1013, "The client reads more slowly than its events arrive: reconnect and resume");
                return;
            }
            socket.writeTextMessage(message.toString());
        }

        void close(short code, String reason) {
            if (closed) {
                return;
            }
            closed = true;
            String cut = reason.length() > 120 ? reason.substring(0, 119) + "…" : reason; // a close frame holds 123 bytes of reason
            if (!socket.isClosed()) {
                socket.close(code, cut);
            }
            ended();
        }

        private void ended() {
            closed = true;
            if (connections.remove(this) == null) {
                return;
            }
            openConnections.decrementAndGet();
            upgradeDone(upgrade);
            vertx.cancelTimer(initTimer);
            vertx.cancelTimer(pingTimer);
            vertx.cancelTimer(keyTimer);
            new ArrayList<>(operations.values()).forEach(Operation::cancel);
            operations.clear();
        }

        /** One subscription of the connection: its execution, its stream of results and its request context. */
        private final class Operation implements Subscriber<ExecutionResult> {
            private final String id;
            private final AtomicInteger ofKey;
            private volatile org.reactivestreams.Subscription upstream;
            private volatile InjectableContext.ContextState requestState;
            /** Set once, by whichever end comes first (the client's complete, the stream's end, the connection's). */
            private final AtomicBoolean done = new AtomicBoolean();
            /**
             * Whether its execution is starting on a worker thread, in its request context: an end meanwhile (the client's
             * complete) leaves that context to the execution to destroy, instead of pulling it from under it.
             */
            private boolean starting;

            Operation(String id, AtomicInteger ofKey) {
                this.id = id;
                this.ofKey = ofKey;
            }

            void execute(JsonObject payload) {
                synchronized (this) {
                    if (done.get()) {
                        return; // completed, or its connection closed, before it could start
                    }
                    starting = true;
                }
                ManagedContext requests = Arc.container().requestContext();
                requests.activate();
                try {
                    currentRequest.setCurrent(upgrade);
                    Arc.container().instance(Caller.class).get().useConnectionCredentials(authorization);
                    requestState = requests.getState();
                    Map<String, Object> metadata = getMetaData(upgrade);
                    metadata.put(SubscriptionExecutionStrategy.KEEP_SUBSCRIPTION_EVENTS_ORDERED, true);
                    getExecutionService().executeAsync(payload, metadata, new ExecutionResponseWriter() {
                        @Override
                        public void write(ExecutionResponse response) {
                            started(response);
                        }

                        @Override
                        public void fail(Throwable failure) {
                            failed(failure);
                        }
                    });
                } finally {
                    requests.deactivate();
                    InjectableContext.ContextState ended = null;
                    synchronized (this) {
                        starting = false;
                        if (done.get()) {
                            ended = requestState; // ended while it started: its context goes now, no longer in use
                        }
                    }
                    if (ended != null) {
                        Arc.container().requestContext().destroy(ended);
                    }
                }
            }

            private void started(ExecutionResponse response) {
                ExecutionResult result = response.getExecutionResult();
                if (result.getData() instanceof Publisher<?> publisher) {
                    @SuppressWarnings("unchecked")
                    Publisher<ExecutionResult> events = (Publisher<ExecutionResult>) publisher;
                    events.subscribe(this);
                    return;
                }
                JsonObject answer = response.getExecutionResultAsJsonObject();
                if (result.isDataPresent() && result.getData() != null) { // not a subscription (refused before; kept whole)
                    if (sendWhileOpen(next(answer))) {
                        end(Json.createObjectBuilder().add("id", id).add("type", "complete").build(), true);
                    }
                    return;
                }
                JsonArray errors = answer.getJsonArray("errors");
                end(Json.createObjectBuilder().add("id", id).add("type", "error").add("payload", errors == null ? JsonValue.EMPTY_JSON_ARRAY : errors)
                        .build(), false);
            }

            private JsonObject next(JsonObject payload) {
                return Json.createObjectBuilder().add("id", id).add("type", "next").add("payload", payload).build();
            }

            void failed(Throwable failure) {
                LOG.warnf("Subscription failed to start: %s", failure.toString());
                end(refusal(id, ErrorCodes.INTERNAL, "Internal error"), false);
            }

            @Override
            public void onSubscribe(org.reactivestreams.Subscription subscription) {
                upstream = subscription;
                if (done.get()) {
                    subscription.cancel();
                } else {
                    subscription.request(1);
                }
            }

            @Override
            public void onNext(ExecutionResult event) {
                if (!sendWhileOpen(next(new ExecutionResponse(event).getExecutionResultAsJsonObject()))) {
                    return;
                }
                org.reactivestreams.Subscription current = upstream;
                if (current != null) {
                    current.request(1);
                }
            }

            @Override
            public void onError(Throwable failure) {
                Throwable refusal = RequestPolicyInstrumentation.refusalIn(failure);
                if (refusal == null) {
                    LOG.warnf("Subscription %s ended by %s", id, failure.toString());
                    end(refusal(id, ErrorCodes.INTERNAL, "Internal error"), false);
                } else {
                    end(refusal(id, refusal.getClass().getAnnotation(io.smallrye.graphql.api.ErrorCode.class).value(),
                            ErrorCodes.shorter(refusal.getMessage())), false);
                }
            }

            @Override
            public void onComplete() {
                end(Json.createObjectBuilder().add("id", id).add("type", "complete").build(), false);
            }

            /** Ends the subscription from the client's side (complete, or the connection closed): nothing more is sent. */
            void cancel() {
                end(null, true);
            }

            /**
             * Sends the message unless the subscription has ended; whether it did. Under the operation's lock, so that
             * the client's complete cannot come between the check and the send.
             */
            private synchronized boolean sendWhileOpen(JsonObject message) {
                if (done.get()) {
                    return false;
                }
                send(message);
                return true;
            }

            /**
             * Ends the subscription once, whoever ends it first, sending its last message (none when the client ended
             * it) only if it had not ended: the count of the key's subscriptions goes down once.
             */
            private void end(JsonObject last, boolean cancelUpstream) {
                InjectableContext.ContextState state;
                synchronized (this) {
                    if (!done.compareAndSet(false, true)) {
                        return;
                    }
                    if (last != null) {
                        send(last);
                    }
                    state = starting ? null : requestState;
                }
                operations.remove(id, this);
                ofKey.decrementAndGet();
                org.reactivestreams.Subscription current = upstream;
                if (cancelUpstream && current != null) {
                    current.cancel();
                }
                if (state != null) {
                    Arc.container().requestContext().destroy(state);
                }
            }
        }
    }
}
