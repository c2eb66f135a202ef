package dev.customersessions.engine;

import java.io.StringReader;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.json.Json;
import jakarta.json.JsonReader;

import graphql.ExceptionWhileDataFetching;
import graphql.ExecutionResult;
import graphql.GraphQLError;
import graphql.language.OperationDefinition;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.vertx.ext.web.RoutingContext;

/**
 * One GraphQL request over HTTP as operators see it ({@link RequestObservations}): from the handler's first look at it
 * to its answer, its operation's name and type, and its outcome ({@value RequestObservations#SUCCESS} or the code of
 * its first error, one of {@link ErrorCodes}). When traces are on, a span of the same extent, named as OpenTelemetry's
 * conventions for GraphQL ask ({@code query getSession}), with {@code graphql.operation.type} and
 * {@code graphql.operation.name} only: never the document, its variables, or any header.
 */
final class RequestObservation {

    static final String CONTEXT_KEY = RequestObservation.class.getName();

    private final RequestObservations observations;
    /** Null when traces are off. */
    private final Span span;
    private final long start = System.nanoTime();
    private final AtomicBoolean finished = new AtomicBoolean();
    private volatile String operation = RequestObservations.NONE;
    private volatile String type = RequestObservations.NONE;

    RequestObservation(RequestObservations observations, Tracer tracer) {
        this.observations = observations;
        this.span = tracer == null ? null : tracer.spanBuilder("GraphQL Operation").startSpan();
    }

    /** The observation of the request that runs now, or null (a WebSocket's operations are not observed here). */
    static RequestObservation of(RoutingContext context) {
        return context == null ? null : context.get(CONTEXT_KEY);
    }

    /** Makes the span the current one on this thread while the execution runs, so that SQL statements are its children. */
    Scope activate() {
        return span == null ? Scope.noop() : span.makeCurrent();
    }

    /** The operation the request runs, once graphql-java has chosen it from the document. */
    void operation(OperationDefinition definition) {
        type = definition.getOperation().name().toLowerCase(Locale.ROOT);
        operation = observations.operationTag(definition.getName());
        if (span != null) {
            span.updateName(definition.getName() == null ? type : type + " " + operation);
            span.setAttribute("graphql.operation.type", type);
            if (definition.getName() != null) {
                String name = definition.getName();
                span.setAttribute("graphql.operation.name",
                        name.length() > RequestObservations.MAX_NAME_LENGTH ? name.substring(0, RequestObservations.MAX_NAME_LENGTH) : name);
            }
        }
    }

    /** Ends the observation (once: later calls are ignored) with the request's outcome. */
    void finish(String outcome) {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        observations.record(operation, type, outcome, System.nanoTime() - start);
        if (span != null) {
            if (!RequestObservations.SUCCESS.equals(outcome)) {
                span.setStatus(StatusCode.ERROR);
                span.setAttribute("error.type", outcome);
            }
            span.end();
        }
    }

    /** {@value RequestObservations#SUCCESS}, or the code of the result's first error. */
    static String outcomeOf(ExecutionResult result) {
        if (result.getErrors().isEmpty()) {
            return RequestObservations.SUCCESS;
        }
        GraphQLError first = result.getErrors().get(0);
        String code = ErrorCodes.codeOf(first);
        if (code == null && first instanceof ExceptionWhileDataFetching) {
            return ErrorCodes.INTERNAL; // a resolver's unexpected failure
        }
        return known(code);
    }

    /** The outcome of an answer already rendered (HTTP refusals, answers kept under an Idempotency-Key). */
    static String outcomeOf(int status, String body) {
        try (JsonReader reader = Json.createReader(new StringReader(body))) {
            var errors = reader.readObject().getJsonArray("errors");
            if (errors == null || errors.isEmpty()) {
                return status == 200 ? RequestObservations.SUCCESS : ErrorCodes.INTERNAL;
            }
            var extensions = errors.getJsonObject(0).getJsonObject("extensions");
            return known(extensions == null ? null : extensions.getString("code", null));
        } catch (RuntimeException unreadable) {
            return status == 200 ? RequestObservations.SUCCESS : ErrorCodes.INTERNAL;
        }
    }

    /** One of our codes (a bounded set of tag values); an error without one is the request's fault, as the policy says. */
    private static String known(Object code) {
        return code instanceof String string && ErrorCodes.ALL.contains(string) ? string : ErrorCodes.BAD_REQUEST;
    }
}
