package dev.customersessions.auth;

import io.smallrye.graphql.api.ErrorCode;

/**
 * Valid credentials that may not do what was asked: a publishable key asking for what only the shop's server may do,
 * a restricted key outside its scopes, or a secret key sent from a browser. Served as a top-level GraphQL error with
 * {@code extensions.code = FORBIDDEN}; nothing of the operation runs.
 */
@ErrorCode("FORBIDDEN")
public class ForbiddenException extends RuntimeException {

    public ForbiddenException(String message) {
        super(message, null, false, false);
    }
}
