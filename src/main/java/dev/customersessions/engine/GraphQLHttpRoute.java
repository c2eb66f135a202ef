package dev.customersessions.engine;

import org.jboss.logging.Logger;
import io.vertx.ext.web.RoutingContext;
import dev.customersessions.common.ConnectionLoss;
import dev.customersessions.common.DatabaseFailures;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.customersessions.CustomerSessionsConfig;
import dev.customersessions.application.Invalidations;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * Serves POST /graphql with {@link GraphQLHttpHandler}, subscriptions over a WebSocket opened with GET /graphql
 * ({@link GraphQLWebSocketHandler}), ahead of SmallRye GraphQL's own route (which still serves
 * /graphql/schema.graphql, the SDL, unless introspection is off); GET /graphql answers 405 with {@code Allow: POST}
 * and a body that says so (operations never travel in URLs). Each request runs
 * on a worker thread, in parallel with others.
 */
@ApplicationScoped
class GraphQLHttpRoute {

    private static final Logger LOG = Logger.getLogger("dev.customersessions.graphql");

    private GraphQLWebSocketHandler subscriptions;

    void install(@Observes Router router, CurrentVertxRequest request,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBodySize,
            CustomerSessionsConfig config, Invalidations invalidations, ConnectionLoss connectionLoss, RequestObservations observations) {
        subscriptions = new GraphQLWebSocketHandler(request, config);
        invalidations.onApiKeyChanged(subscriptions::keyChanged);
        router.get("/graphql").order(-100).handler(context -> { // ahead of SmallRye's own WebSocket handler (order -99)
            if (GraphQLWebSocketHandler.isUpgrade(context)) {
                subscriptions.handle(context);
            } else {
                context.next();
            }
        });
        router.post("/graphql").order(-10)
                .handler(BodyHandler.create().setBodyLimit(maxBodySize.asLongValue()).setHandleFileUploads(false))
                .blockingHandler(new GraphQLHttpHandler(request, observations), false)
                .failureHandler(context -> answerDatabaseFailure(context, connectionLoss));
        router.get("/graphql").order(-10).handler(context -> context.response().setStatusCode(405)
                .putHeader("Allow", "POST").putHeader("Content-Type", GraphQLHttpHandler.JSON + "; charset=utf-8")
                .end(GraphQLHttpHandler.errorBody("Send GraphQL requests with POST, as application/json: {\"query\": \"...\", "
                        + "\"variables\": {...}} (GET is not served: operations and keys never travel in URLs)", ErrorCodes.BAD_REQUEST)));
        if (!config.introspection()) {
            // The SDL tells what introspection would: off together with it.
            router.get("/graphql/schema.graphql").order(Integer.MIN_VALUE + 1).handler(context -> context.response().setStatusCode(404)
                    .putHeader("Content-Type", "text/plain; charset=utf-8")
                    .end("The schema is not published here: introspection is off (customer-sessions.introspection)"));
        }
    }

    /**
     * A request that failed outside the operations' own answers (reading the caller's key, for one) because the database
     * is unavailable, busy or lost a commit's outcome: answered 503 with its code and {@code Retry-After}, as the
     * operations answer it, not as an internal error. Anything else goes on to the default answer (500).
     */
    private static void answerDatabaseFailure(RoutingContext context, ConnectionLoss connectionLoss) {
        // context.failure() is null for a status alone (413 from the body's limit): that goes on as it is
        DatabaseFailures.Classified failure = DatabaseFailures.classify(context.failure());
        if (failure == null || failure.kind() == DatabaseFailures.Kind.INVALID_VALUE || context.response().headWritten()) {
            context.next();
            return;
        }
        connectionLoss.answered(LOG, "POST /graphql", failure, context.failure());
        context.response().setStatusCode(503).putHeader("Retry-After", ErrorCodes.RETRY_AFTER_SECONDS)
                .putHeader("Content-Type", GraphQLHttpHandler.JSON + "; charset=utf-8")
                .end(GraphQLHttpHandler.errorBody(failure.message(), failure.kind().name()));
    }

    /**
     * Closes every WebSocket connection as shutdown begins (1001: reconnect), before the HTTP server waits for the
     * requests in flight, among which it counts each connection's upgrade request.
     */
    void stopping(@Observes ShutdownDelayInitiatedEvent stopping) {
        if (subscriptions != null) {
            subscriptions.closeAll();
        }
    }

    void stop(@Observes ShutdownEvent stopping) {
        if (subscriptions != null) {
            subscriptions.closeAll();
        }
    }
}
