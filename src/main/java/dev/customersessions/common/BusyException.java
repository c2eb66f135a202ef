package dev.customersessions.common;

import io.smallrye.graphql.api.ErrorCode;

/**
 * The database did not serve the request in time: a row lock held too long by another writer, a statement over
 * its time limit, no free connection, or no answer at all. The request may be retried (updates are harmless to
 * repeat). Served as a top-level GraphQL error with {@code extensions.code = BUSY}.
 */
@ErrorCode("BUSY")
public class BusyException extends RuntimeException {

    public BusyException(String message) {
        super(message, null, false, false);
    }
}
