package dev.customersessions.engine;

import java.util.Set;

/**
 * The codes of top-level GraphQL errors ({@code errors[].extensions.code}). Every error a client sees carries one
 * of them; none is derived from a Java class name. (Business refusals of mutations are {@code userErrors}, with
 * the codes of {@link dev.customersessions.common.UserErrorCode}.)
 */
public final class ErrorCodes {

    /** Missing, unknown, revoked or wrong-kind credentials. */
    public static final String UNAUTHENTICATED = "UNAUTHENTICATED";
    /** Valid credentials that may not do this: a publishable key, a restricted key's scopes, a secret key in a browser. */
    public static final String FORBIDDEN = "FORBIDDEN";
    /** The key's (or the client address's) request budget is spent: HTTP 429 with Retry-After; nothing ran. */
    public static final String THROTTLED = "THROTTLED";
    /** The request is malformed: syntax, unknown fields, values of the wrong type or out of range. */
    public static final String BAD_REQUEST = "BAD_REQUEST";
    /** An argument cannot be used, such as a cursor this API did not give out. */
    public static final String VALIDATION_FAILED = "VALIDATION_FAILED";
    /** The operation asks for more than the limits allow (depth, fields, aliases, mutations, listed nodes). */
    public static final String LIMIT_EXCEEDED = "LIMIT_EXCEEDED";
    /** The database did not serve the request in time (lock, statement or connection wait): retry it later. */
    public static final String BUSY = "BUSY";
    /** The database cannot be reached or is restarting (a switchover, a failover): nothing was changed; retry later. */
    public static final String UNAVAILABLE = "UNAVAILABLE";
    /** A write's commit lost its connection: it may or may not be stored; repeat it with the same Idempotency-Key. */
    public static final String OUTCOME_UNKNOWN = "OUTCOME_UNKNOWN";
    /** The database failures a client retries, answered with {@code Retry-After: }{@link #RETRY_AFTER_SECONDS}. */
    public static final Set<String> RETRYABLE = Set.of(BUSY, UNAVAILABLE, OUTCOME_UNKNOWN);
    /** The seconds of {@code Retry-After} on a retryable database failure: a switchover takes a few. */
    public static final String RETRY_AFTER_SECONDS = "1";
    /** The Idempotency-Key was used before, within its retention, for a different request (HTTP 422). */
    public static final String IDEMPOTENCY_KEY_REUSED = "IDEMPOTENCY_KEY_REUSED";
    /** The request under this Idempotency-Key was applied, but its answer was too large to keep (HTTP 409): query. */
    public static final String ALREADY_APPLIED = "ALREADY_APPLIED";
    /** What a subscription names does not exist, or not for this caller (a publishable key with another session's token). */
    public static final String NOT_FOUND = "NOT_FOUND";
    /** A subscriber cannot be given what it missed: read the current state again, then subscribe anew (docs/events.md). */
    public static final String RESYNC_REQUIRED = "RESYNC_REQUIRED";
    /** An unexpected failure; it is logged, and nothing of it is shown. */
    public static final String INTERNAL = "INTERNAL";

    static final Set<String> ALL = Set.of(UNAUTHENTICATED, FORBIDDEN, THROTTLED, BAD_REQUEST, VALIDATION_FAILED, LIMIT_EXCEEDED, BUSY, UNAVAILABLE,
            OUTCOME_UNKNOWN, IDEMPOTENCY_KEY_REUSED, ALREADY_APPLIED, NOT_FOUND, RESYNC_REQUIRED, INTERNAL);

    /** The longest error message served; longer ones are cut, so that no error echoes a large input. */
    public static final int MAX_MESSAGE_LENGTH = 300;

    private ErrorCodes() {
    }

    /**
     * The code the client will see for this error: in its extensions, or, for our own refusal thrown by a resolver, on
     * the exception (SmallRye writes it there only when it renders the answer); null when it has none.
     */
    static String codeOf(graphql.GraphQLError error) {
        Object code = error.getExtensions() == null ? null : error.getExtensions().get("code");
        if (code == null && error instanceof graphql.ExceptionWhileDataFetching fetching) {
            Throwable refusal = RequestPolicyInstrumentation.refusalIn(fetching.getException());
            code = refusal == null ? null : refusal.getClass().getAnnotation(io.smallrye.graphql.api.ErrorCode.class).value();
        }
        return code instanceof String known ? known : null;
    }

    /** The message, cut to {@link #MAX_MESSAGE_LENGTH} characters. */
    public static String shorter(String message) {
        if (message == null || message.length() <= MAX_MESSAGE_LENGTH) {
            return message;
        }
        int end = MAX_MESSAGE_LENGTH - 1;
        if (Character.isHighSurrogate(message.charAt(end - 1))) {
            end--;
        }
        return message.substring(0, end) + "…";
    }
}
