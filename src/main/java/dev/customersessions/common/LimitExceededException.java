package dev.customersessions.common;

import io.smallrye.graphql.api.ErrorCode;

/**
 * A request asks for more work than a limit allows, found while it runs (such as the cart lines behind the totals of
 * a page of sessions). Served as a top-level GraphQL error with {@code extensions.code = LIMIT_EXCEEDED}; nothing
 * of the request is answered.
 */
@ErrorCode("LIMIT_EXCEEDED")
public class LimitExceededException extends RuntimeException {

    public LimitExceededException(String message) {
        super(message, null, false, false);
    }
}
