package dev.customersessions.common;

import io.smallrye.graphql.api.ErrorCode;

/**
 * A write's {@code COMMIT} was sent, but the connection broke before the database answered it (the primary crashed or
 * was switched over at that moment): the change may or may not be stored, and the service cannot tell which. The
 * client must repeat the request with the same {@code Idempotency-Key}, which applies it once whatever happened.
 * Served as a top-level GraphQL error with {@code extensions.code = OUTCOME_UNKNOWN}.
 */
@ErrorCode("OUTCOME_UNKNOWN")
public class OutcomeUnknownException extends RuntimeException {

    public OutcomeUnknownException(String message) {
        super(message, null, false, false);
    }
}
