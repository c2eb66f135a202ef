package dev.customersessions.auth;

import io.smallrye.graphql.api.ErrorCode;

/**
 * Missing, unknown, revoked or wrong-kind credentials. Served as a top-level GraphQL error with
 * {@code extensions.code = UNAUTHENTICATED}; the message never says whether something of another tenant exists.
 */
@ErrorCode("UNAUTHENTICATED")
public class AuthenticationFailedException extends RuntimeException {

    public AuthenticationFailedException(String message) {
        super(message, null, false, false);
    }
}
