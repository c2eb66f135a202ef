package dev.customersessions.engine;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import org.jboss.logging.Logger;

import dev.customersessions.application.ApiKeyKind;
import dev.customersessions.auth.Caller;
import dev.customersessions.auth.IssuedSecrets;
import dev.customersessions.common.ConnectionLoss;
import dev.customersessions.common.DatabaseFailures;
import dev.customersessions.idempotency.IdempotencyKeys.Stored;
import dev.customersessions.idempotency.IdempotentWrites;
import dev.customersessions.idempotency.RequestKey;
import graphql.ExecutionResult;
import graphql.language.Argument;
import graphql.language.BooleanValue;
import graphql.language.Document;
import graphql.language.Field;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.Value;
import graphql.language.VariableDefinition;
import graphql.language.VariableReference;
import graphql.parser.Parser;
import graphql.parser.ParserEnvironment;
import graphql.parser.ParserOptions;
import io.quarkus.arc.Unremovable;
import io.smallrye.graphql.execution.ExecutionResponse;

/**
 * Mutations sent with an {@code Idempotency-Key} header, at the HTTP layer: which requests the key applies to
 * ({@link #plan}), and their answers ({@link #finish}). The key travels to the service call that writes
 * ({@link RequestKey}), whose transaction ({@link IdempotentWrites}) also stores the answer, so the answer is kept
 * exactly when the mutation's effect is; a repeat of the same request (same document, operation name and variables)
 * within the retention gets that answer back and applies nothing; the same key with another request is refused. Two
 * requests with one key at the same moment, on one instance or on two sharing the database, apply once: the second
 * waits on the first's lock.
 * <p>
 * A key covers one mutation field (so that a request is applied whole or not at all); queries and dry runs ignore
 * the key and store nothing.
 */
@ApplicationScoped
@Unremovable // looked up by GraphQLHttpHandler, which is no bean
class IdempotentRequests {

    static final String HEADER = "Idempotency-Key";
    /** Set on an answer that is the stored answer of an earlier request with the same key. */
    static final String REPLAYED_HEADER = "Idempotent-Replayed";
    static final int MAX_KEY_LENGTH = 255;
    /** The largest answer kept for replays (1 MiB of JSON text); a larger one is applied but not kept. */
    static final int MAX_KEPT_ANSWER_CHARACTERS = 1 << 20;

    private static final Logger LOG = Logger.getLogger(IdempotentRequests.class);

    @Inject
    IdempotentWrites writes;

    @Inject
    ConnectionLoss connectionLoss;

    @Inject
    Caller caller;

    @Inject
    IssuedSecrets issuedSecrets;

    /** What the key means for one request. */
    sealed interface Plan permits Refuse, Ignore, Apply {
    }

    /** The key cannot be used with this request: answer 400 with the message. */
    record Refuse(String message) implements Plan {
    }

    /** The key has no effect (a query, a dry run, no valid credentials, an unreadable document). */
    record Ignore() implements Plan {
    }

    /** Run the request under the key: its write ({@link IdempotentWrites}) takes it. */
    record Apply(RequestKey key) implements Plan {
    }

    /** How to answer: the execution's response, a stored answer, or an error body with its status. */
    record Answer(ExecutionResponse executed, String body, int status, boolean replayed) {
        static Answer of(ExecutionResponse executed) {
            return new Answer(executed, null, 0, false);
        }
    }

    Plan plan(String key, JsonObject request) {
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH || !key.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            return new Refuse(HEADER + " must be 1 to " + MAX_KEY_LENGTH + " printable ASCII characters, such as a UUID");
        }
        OperationDefinition operation = operation(request);
        if (operation == null || operation.getOperation() != OperationDefinition.Operation.MUTATION) {
            return new Ignore();
        }
        List<Selection> selections = operation.getSelectionSet().getSelections();
        if (selections.size() != 1 || !(selections.get(0) instanceof Field field)) {
            return new Refuse("A request with an " + HEADER + " must hold exactly one mutation field: send each mutation "
                    + "in a request of its own, with a key of its own");
        }
        if (isDryRun(field, operation, request.get("variables"))) {
            return new Ignore();
        }
        if (caller.presentedKey().filter(k -> k.kind() == ApiKeyKind.PUBLISHABLE).isPresent()) {
            // Every shopper's page holds the same publishable key: kept answers would be shared between shoppers, and
            // a page needs none (its changes are harmless to repeat, and a replayed start could not give the token).
            return new Refuse(HEADER + " is taken with server keys only: a publishable key's requests are never kept "
                    + "(repeat a page's change as it is; it changes nothing the second time)");
        }
        Optional<String> scope = caller.idempotencyScope();
        if (scope.isEmpty()) {
            return new Ignore();
        }
        return new Apply(new RequestKey(scope.get(), key, fingerprint(request)));
    }

    /**
     * The answer to a request whose execution has completed under the key: the kept answer of an earlier request
     * with the key (when the write found one and ran nothing), or the execution's own answer, kept under the key in
     * the write's still open transaction, which commits with it. When the mutation did not run to its end (BUSY,
     * limits, credentials, an internal error) or the write never took the key, nothing is kept and a retry runs it.
     */
    Answer finish(RequestKey key, ExecutionResponse executed) {
        if (key.kept() != null) {
            return replay(key.kept(), key);
        }
        if (!key.isOpen()) {
            return Answer.of(executed);
        }
        try {
            if (!ranToItsEnd(executed.getExecutionResult())) {
                writes.abandon(key);
                return Answer.of(executed);
            }
            writes.keep(key, kept(executed));
            return Answer.of(executed);
        } catch (RuntimeException e) {
            abandon(key); // still open when the answer could not even be prepared: let go of its locks now
            DatabaseFailures.Classified failure = DatabaseFailures.classify(e);
            if (failure != null && failure.kind() != DatabaseFailures.Kind.INVALID_VALUE) {
                connectionLoss.answered(LOG, "Keeping the answer under an Idempotency-Key", failure, e);
                String message = failure.kind() == DatabaseFailures.Kind.OUTCOME_UNKNOWN ? failure.message()
                        : failure.message() + "; retry with the same " + HEADER;
                return new Answer(null, GraphQLHttpHandler.errorBody(message, failure.kind().name()), 503, false);
            }
            LOG.error("Keeping the answer under an Idempotency-Key failed; nothing was committed", e);
            return new Answer(null, GraphQLHttpHandler.errorBody("Internal error", ErrorCodes.INTERNAL), 500, false);
        }
    }

    /** Rolls back what a write under the key left open: the request failed before it could be answered. */
    void abandon(RequestKey key) {
        if (key.isOpen()) {
            writes.abandon(key);
        }
    }

    /** The answer to a request whose answering failed unexpectedly: logged, and nothing of it left open. */
    Answer failed(RequestKey key, Throwable failure) {
        LOG.error("Answering a request under an Idempotency-Key failed; nothing was committed", failure);
        try {
            abandon(key);
        } catch (RuntimeException e) {
            LOG.error("Rolling back the write under an Idempotency-Key failed", e);
        }
        return new Answer(null, GraphQLHttpHandler.errorBody("Internal error", ErrorCodes.INTERNAL), 500, false);
    }

    private static Answer replay(Stored stored, RequestKey key) {
        if (!stored.fingerprint().equals(key.fingerprint())) {
            return new Answer(null, GraphQLHttpHandler.errorBody("This " + HEADER + " was used for a different request (document, "
                    + "operation name or variables); use a new key for a new request", ErrorCodes.IDEMPOTENCY_KEY_REUSED), 422, false);
        }
        if (stored.response() == null) {
            return new Answer(null, GraphQLHttpHandler.errorBody("The request with this " + HEADER + " was applied, but its answer "
                    + "was not kept (over " + MAX_KEPT_ANSWER_CHARACTERS + " characters): read the result with a query",
                    ErrorCodes.ALREADY_APPLIED), 409, true);
        }
        return new Answer(null, stored.response(), 200, true);
    }

    /**
     * Whether the one mutation ran to its end, applied or refused: its field has a value. A request that failed
     * before or during the mutation (limits, credentials, BUSY, an internal error) has none.
     */
    private static boolean ranToItsEnd(ExecutionResult result) {
        if (!result.isDataPresent() || !(result.getData() instanceof Map<?, ?> data) || data.size() != 1) {
            return false;
        }
        return data.values().iterator().next() != null;
    }

    /**
     * The answer as kept: the body sent, without the plain values of API keys issued by the request (shown once,
     * never stored); null when it is over {@link #MAX_KEPT_ANSWER_CHARACTERS} or when issued keys are in a body that is
     * not ours to rewrite (one with errors).
     */
    private String kept(ExecutionResponse executed) {
        Set<String> secrets = issuedSecrets.values();
        if (!secrets.isEmpty() && !executed.getExecutionResult().getErrors().isEmpty()) {
            return null;
        }
        String body = new String(ResponseBodies.of(executed, secrets), StandardCharsets.UTF_8);
        return body.length() > MAX_KEPT_ANSWER_CHARACTERS ? null : body;
    }

    /** The operation the request would run, or null when the document cannot be read or names none. */
    private static OperationDefinition operation(JsonObject request) {
        Document document;
        try {
            document = Parser.parse(ParserEnvironment.newParserEnvironment().document(request.getString("query"))
                    .parserOptions(ParserOptions.getDefaultOperationParserOptions()).build());
        } catch (RuntimeException e) {
            return null; // the execution reports it
        }
        List<OperationDefinition> operations = document.getDefinitionsOfType(OperationDefinition.class);
        JsonValue name = request.get("operationName");
        if (name instanceof JsonString wanted) {
            return operations.stream().filter(o -> wanted.getString().equals(o.getName())).findFirst().orElse(null);
        }
        return operations.size() == 1 ? operations.get(0) : null;
    }

    /** Whether the mutation field is asked to be a dry run: dry: true, literally or through a variable. */
    private static boolean isDryRun(Field field, OperationDefinition operation, JsonValue variables) {
        Argument dry = field.getArguments().stream().filter(a -> a.getName().equals("dry")).findFirst().orElse(null);
        if (dry == null) {
            return false;
        }
        Value<?> value = dry.getValue();
        if (value instanceof VariableReference reference) {
            if (variables instanceof JsonObject given && given.containsKey(reference.getName())) {
                return given.get(reference.getName()) == JsonValue.TRUE;
            }
            value = null;
            for (VariableDefinition definition : operation.getVariableDefinitions()) {
                if (definition.getName().equals(reference.getName())) {
                    value = definition.getDefaultValue(); // null without a default
                }
            }
        }
        return value instanceof BooleanValue b && b.isValue();
    }

    /** SHA-256 of the request's query, operation name and variables, with object keys sorted. */
    static String fingerprint(JsonObject request) {
        StringBuilder canonical = new StringBuilder();
        canonical(request.get("query"), canonical);
        canonical.append('\n');
        canonical(request.get("operationName"), canonical);
        canonical.append('\n');
        canonical(request.get("variables"), canonical);
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha256.digest(canonical.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void canonical(JsonValue value, StringBuilder out) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof JsonObject object) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, JsonValue> entry : new TreeMap<>(object).entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                out.append(jakarta.json.Json.createValue(entry.getKey())).append(':');
                canonical(entry.getValue(), out);
            }
            out.append('}');
        } else if (value instanceof JsonArray array) {
            out.append('[');
            for (int i = 0; i < array.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                canonical(array.get(i), out);
            }
            out.append(']');
        } else {
            out.append(value);
        }
    }
}
