package dev.customersessions.engine;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;

import graphql.ErrorType;
import graphql.ExecutionResult;
import graphql.ExecutionResultImpl;
import graphql.GraphQLError;
import graphql.parser.InvalidSyntaxException;
import graphql.parser.Parser;
import graphql.parser.ParserEnvironment;
import graphql.parser.ParserOptions;
import graphql.parser.exceptions.ParseCancelledException;
import graphql.parser.exceptions.ParseCancelledTooDeepException;
import graphql.parser.exceptions.ParseCancelledTooManyCharsException;
import dev.customersessions.idempotency.RequestKey;
import io.quarkus.arc.Arc;
import io.quarkus.smallrye.graphql.runtime.SmallRyeGraphQLAbstractHandler;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.smallrye.graphql.execution.ExecutionResponse;
import io.smallrye.graphql.execution.ExecutionResponseWriter;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.MIMEHeader;
import io.vertx.ext.web.RoutingContext;


/**
 * GraphQL over HTTP (POST), as the GraphQL-over-HTTP specification asks, in front of SmallRye GraphQL's own handler
 * (which answers 200 to everything, drops the location of syntax errors and gives them no code):
 * <ul>
 * <li>the response is {@code application/graphql-response+json} when the client accepts it first, else
 * {@code application/json} (also for a missing Accept or {@code *}{@code /*}); anything else is 406;</li>
 * <li>the request must be {@code application/json} (else 415) and a JSON object with a string {@code query} and
 * optional {@code operationName}, {@code variables} and {@code extensions} of the right JSON types (else 400);</li>
 * <li>with {@code application/graphql-response+json}, a request that fails before execution (syntax, validation,
 * variables, limits) is answered 400; with {@code application/json} it is 200, as clients of that type expect;</li>
 * <li>a syntax error names its line and column, with the code BAD_REQUEST; a document over the parser limits gets
 * LIMIT_EXCEEDED.</li>
 * </ul>
 * Execution itself is SmallRye's ({@link #getExecutionService()}), with its request metadata.
 */
class GraphQLHttpHandler extends SmallRyeGraphQLAbstractHandler {

    static final String JSON = "application/json";
    static final String GRAPHQL_RESPONSE_JSON = "application/graphql-response+json";
    /** SmallRye's answer to a document it cannot parse; the handler replaces it with the parser's own error. */
    private static final String UNPARSEABLE = "Unparseable input document";

    private final RequestObservations observations;

    GraphQLHttpHandler(CurrentVertxRequest request, RequestObservations observations) {
        super(null, request, true);
        this.observations = observations;
    }

    @Override
    protected void doHandle(RoutingContext context) {
        RequestObservation observation = observations.begin(context);
        HttpServerResponse response = context.response();
        String mediaType = responseMediaType(context);
        if (mediaType == null) {
            observation.finish(ErrorCodes.BAD_REQUEST);
            response.setStatusCode(406).putHeader(HttpHeaders.CONTENT_TYPE, JSON + "; charset=utf-8")
                    .end(errorBody("Accept must allow application/graphql-response+json or application/json", ErrorCodes.BAD_REQUEST, null));
            return;
        }
        String contentType = context.request().getHeader(HttpHeaders.CONTENT_TYPE);
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith(JSON)) {
            refuse(observation, response, mediaType, 415, "Send the request as Content-Type: application/json");
            return;
        }
        String body = context.body() == null ? null : context.body().asString();
        JsonObject request;
        try (JsonReader reader = jsonReaderFactory.createReader(new StringReader(body == null ? "" : body))) {
            JsonValue value = reader.readValue();
            if (value.getValueType() != JsonValue.ValueType.OBJECT) {
                refuse(observation, response, mediaType, 400, "The body must be a JSON object with a query");
                return;
            }
            request = value.asJsonObject();
        } catch (RuntimeException e) { // JsonException, and what the parser throws for over-long numbers or deep nesting
            refuse(observation, response, mediaType, 400, "The body is not valid JSON (or nests too deep, or holds a number too long)");
            return;
        }
        String problem = parameterProblem(request);
        if (problem != null) {
            refuse(observation, response, mediaType, 400, problem);
            return;
        }
        Writer plain = new Writer(context, mediaType, request.getString("query"), observation);
        ExecutionResponseWriter writer = plain;
        String idempotencyKey = context.request().getHeader(IdempotentRequests.HEADER);
        if (idempotencyKey != null) {
            IdempotentRequests idempotency = Arc.container().instance(IdempotentRequests.class).get();
            IdempotentRequests.Plan plan = idempotency.plan(idempotencyKey, request);
            if (plan instanceof IdempotentRequests.Refuse refusal) {
                refuse(observation, response, mediaType, 400, refusal.message());
                return;
            }
            if (plan instanceof IdempotentRequests.Apply apply) {
                apply.key().attachTo(context); // for the service call that writes under it
                writer = new KeyedWriter(plain, idempotency, apply.key());
            }
        }
        try (var current = observation.activate()) {
            getExecutionService().executeAsync(request, getMetaData(context), writer);
        } catch (RuntimeException | Error e) { // Vert.x answers 500; the observation ends with it
            observation.finish(ErrorCodes.INTERNAL);
            throw e;
        }
    }

    /** What is wrong with the request's parameters (GraphQL over HTTP, section "Request Parameters"), or null. */
    private static String parameterProblem(JsonObject request) {
        if (!(request.get("query") instanceof jakarta.json.JsonString)) {
            return "query must be a string holding the GraphQL document";
        }
        if (!isNullOr(request.get("operationName"), JsonValue.ValueType.STRING)) {
            return "operationName must be a string or null";
        }
        if (!isNullOr(request.get("variables"), JsonValue.ValueType.OBJECT)) {
            return "variables must be a JSON object or null";
        }
        if (!isNullOr(request.get("extensions"), JsonValue.ValueType.OBJECT)) {
            return "extensions must be a JSON object or null";
        }
        return null;
    }

    private static boolean isNullOr(JsonValue value, JsonValue.ValueType type) {
        return value == null || value.getValueType() == JsonValue.ValueType.NULL || value.getValueType() == type;
    }

    /** The media type of the answer: the first the client accepts of ours; null when it accepts none. */
    static String responseMediaType(RoutingContext context) {
        List<MIMEHeader> accepted = context.parsedHeaders().accept();
        if (accepted == null || accepted.isEmpty()) {
            return JSON;
        }
        for (MIMEHeader accept : accepted) {
            String type = accept.value().trim().toLowerCase(Locale.ROOT);
            if (type.equals(GRAPHQL_RESPONSE_JSON) || type.equals("application/graphql+json")) {
                return GRAPHQL_RESPONSE_JSON;
            }
            if (type.equals(JSON) || type.equals("application/*") || type.equals("*/*")) {
                return JSON;
            }
        }
        return null;
    }

    private static void refuse(RequestObservation observation, HttpServerResponse response, String mediaType, int status, String message) {
        observation.finish(ErrorCodes.BAD_REQUEST);
        response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, mediaType + "; charset=utf-8")
                .end(errorBody(message, ErrorCodes.BAD_REQUEST, null));
    }

    static String errorBody(String message, String code) {
        return errorBody(message, code, null);
    }

    /** The body of an answer that is one error (counted by its code: every such body is sent). */
    private static String errorBody(String message, String code, GraphQLError located) {
        ServiceMetrics.count(code);
        GraphQLError error = located == null ? RequestPolicyInstrumentation.error(code, message, ErrorType.ValidationError)
                : RequestPolicyInstrumentation.copy(located, code, message, ErrorType.ValidationError);
        return new ExecutionResponse(ExecutionResultImpl.newExecutionResult().addError(error).build()).getExecutionResultAsString();
    }

    /** The parser's own account of a document it cannot read: where, and why. */
    static String syntaxErrorBody(String document) {
        try {
            Parser.parse(ParserEnvironment.newParserEnvironment().document(document)
                    .parserOptions(ParserOptions.getDefaultOperationParserOptions()).build());
        } catch (ParseCancelledException | ParseCancelledTooManyCharsException | ParseCancelledTooDeepException e) {
            return errorBody("The document is too large or too deeply nested: " + e.getMessage()
                    + " (customer-sessions.limits.document-tokens, customer-sessions.limits.document-characters)", ErrorCodes.LIMIT_EXCEEDED, null);
        } catch (InvalidSyntaxException e) {
            GraphQLError error = e.toInvalidSyntaxError();
            return errorBody("Syntax error: " + error.getMessage(), ErrorCodes.BAD_REQUEST, error);
        }
        return errorBody("The document cannot be parsed", ErrorCodes.BAD_REQUEST, null);
    }

    /**
     * Answers a request with an Idempotency-Key once its execution has completed: with the answer kept under the key,
     * or with the execution's own, once it is kept ({@link IdempotentRequests#finish}). Keeping it is a database
     * write: off the event loop, as every blocking call.
     */
    private static final class KeyedWriter implements ExecutionResponseWriter {
        private final Writer writer;
        private final IdempotentRequests idempotency;
        private final RequestKey key;

        KeyedWriter(Writer writer, IdempotentRequests idempotency, RequestKey key) {
            this.writer = writer;
            this.idempotency = idempotency;
            this.key = key;
        }

        @Override
        public void write(ExecutionResponse executed) {
            if (io.vertx.core.Context.isOnEventLoopThread()) {
                writer.context.vertx().executeBlocking(() -> {
                    write(executed);
                    return null;
                }, false).onFailure(failure -> answer(idempotency.failed(key, failure)));
                return;
            }
            IdempotentRequests.Answer answer;
            try {
                answer = idempotency.finish(key, executed);
            } catch (RuntimeException | Error e) { // SmallRye's caller drops what its writer throws: answer it here
                answer = idempotency.failed(key, e);
            }
            answer(answer);
        }

        private void answer(IdempotentRequests.Answer answer) {
            if (answer.executed() != null) {
                writer.write(answer.executed());
                return;
            }
            if (answer.replayed()) {
                writer.context.response().putHeader(IdempotentRequests.REPLAYED_HEADER, "true");
            }
            if (answer.status() == 503) { // a retryable database failure (BUSY, UNAVAILABLE, OUTCOME_UNKNOWN)
                writer.context.response().putHeader("Retry-After", ErrorCodes.RETRY_AFTER_SECONDS);
            }
            writer.send(answer.status(), answer.body());
        }

        @Override
        public void fail(Throwable failure) {
            try {
                idempotency.abandon(key);
            } finally {
                writer.fail(failure);
            }
        }
    }

    /** Writes SmallRye's result with the status and media type of GraphQL over HTTP. */
    private static final class Writer implements ExecutionResponseWriter {
        private final RoutingContext context;
        private final String mediaType;
        private final String document;
        private final RequestObservation observation;

        Writer(RoutingContext context, String mediaType, String document, RequestObservation observation) {
            this.context = context;
            this.mediaType = mediaType;
            this.document = document;
            this.observation = observation;
        }

        @Override
        public void write(ExecutionResponse answer) {
            ExecutionResult result = answer.getExecutionResult();
            if (result.getData() instanceof org.reactivestreams.Publisher<?>) { // a subscription: nothing of it has run
                send(400, errorBody("Subscriptions are served over WebSocket at this address, with the graphql-transport-ws protocol "
                        + "(docs/events.md); send queries and mutations here", ErrorCodes.BAD_REQUEST, null));
                return;
            }
            boolean unparseable = !result.isDataPresent() && result.getErrors().size() == 1
                    && UNPARSEABLE.equals(result.getErrors().get(0).getMessage());
            if (!unparseable) { // else the parser's error replaces SmallRye's, and is counted with its body
                ServiceMetrics.count(result);
            }
            int status = mediaType.equals(GRAPHQL_RESPONSE_JSON) && !result.isDataPresent() ? 400 : 200;
            if (isThrottled(result)) {
                status = 429;
                context.response().putHeader("Retry-After", String.valueOf(retryAfterSeconds(result)));
            } else if (hasRetryableError(result)) {
                context.response().putHeader("Retry-After", ErrorCodes.RETRY_AFTER_SECONDS);
            }
            if (unparseable) {
                String body = syntaxErrorBody(document);
                observation.finish(RequestObservation.outcomeOf(status, body));
                send(status, Buffer.buffer(body.getBytes(StandardCharsets.UTF_8)));
                return;
            }
            observation.finish(RequestObservation.outcomeOf(result));
            send(status, Buffer.buffer(ResponseBodies.of(answer)));
        }

        /** Whether the rate limit refused the request (nothing ran): HTTP 429, as the client's HTTP stack expects. */
        private static boolean isThrottled(ExecutionResult result) {
            return !result.isDataPresent() && result.getErrors().stream()
                    .anyMatch(error -> error.getExtensions() != null && ErrorCodes.THROTTLED.equals(error.getExtensions().get("code")));
        }

        /** Whether an error says the database failed in a way that a retry may not meet (BUSY, UNAVAILABLE, OUTCOME_UNKNOWN). */
        private static boolean hasRetryableError(ExecutionResult result) {
            return result.getErrors().stream().map(ErrorCodes::codeOf).anyMatch(code -> code != null && ErrorCodes.RETRYABLE.contains(code));
        }

        /** When the budget will hold the request's cost again, from the answer's extensions.cost. */
        private static long retryAfterSeconds(ExecutionResult result) {
            if (result.getExtensions() != null && result.getExtensions().get("cost") instanceof java.util.Map<?, ?> cost
                    && cost.get("throttleStatus") instanceof java.util.Map<?, ?> throttle
                    && cost.get("requestedQueryCost") instanceof Number requested
                    && throttle.get("currentlyAvailable") instanceof Number available
                    && throttle.get("restoreRate") instanceof Number rate && rate.doubleValue() > 0) {
                return Math.max(1, (long) Math.ceil((requested.doubleValue() - available.doubleValue()) / rate.doubleValue()));
            }
            return 1;
        }

        /** Sends an answer made elsewhere (kept under an Idempotency-Key, or a refusal of the key). */
        void send(int status, String body) {
            observation.finish(RequestObservation.outcomeOf(status, body));
            send(status, Buffer.buffer(body));
        }

        private void send(int status, Buffer body) {
            try {
                context.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, mediaType + "; charset=utf-8")
                        .end(body);
            } catch (IllegalStateException closed) {
                // the client went away; nothing to answer
            }
        }

        @Override
        public void fail(Throwable failure) {
            observation.finish(ErrorCodes.INTERNAL);
            context.fail(failure);
        }
    }
}
