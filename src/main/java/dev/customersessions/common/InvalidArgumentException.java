package dev.customersessions.common;

import io.smallrye.graphql.api.ErrorCode;

/**
 * A query argument that cannot be used (queries have no {@code userErrors}); served as a top-level GraphQL error
 * with {@code extensions.code = VALIDATION_FAILED} and this message.
 */
@ErrorCode("VALIDATION_FAILED")
public class InvalidArgumentException extends RuntimeException {

    public InvalidArgumentException(String message) {
        super(message, null, false, false);
    }
}
