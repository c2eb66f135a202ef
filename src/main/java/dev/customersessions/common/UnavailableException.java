package dev.customersessions.common;

import io.smallrye.graphql.api.ErrorCode;

/**
 * The database cannot be reached or is not taking work: it is shutting down or restarting (a switchover, a failover,
 * a minor upgrade), refuses connections, or the connection broke before the request's transaction committed. Nothing
 * was changed; the request may be retried after {@code Retry-After}. Served as a top-level GraphQL error with
 * {@code extensions.code = UNAVAILABLE}.
 */
@ErrorCode("UNAVAILABLE")
public class UnavailableException extends RuntimeException {

    public UnavailableException(String message) {
        super(message, null, false, false);
    }
}
