package dev.customersessions.common;

import io.smallrye.graphql.api.ErrorCode;

/**
 * What an operation without userErrors (a subscription) names does not exist, or not for this caller; served as a
 * top-level GraphQL error with {@code extensions.code = NOT_FOUND} and this message.
 */
@ErrorCode("NOT_FOUND")
public class NotFoundException extends RuntimeException {

    public NotFoundException(String message) {
        super(message, null, false, false);
    }
}
