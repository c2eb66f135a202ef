package dev.customersessions.common;

import io.smallrye.graphql.api.ErrorCode;

/**
 * A subscriber cannot be given what it missed (it resumed from a position the outbox no longer holds, or fell too far
 * behind): it must read the current state again (a query) and subscribe anew. A top-level GraphQL error with
 * {@code extensions.code = RESYNC_REQUIRED}.
 */
@ErrorCode("RESYNC_REQUIRED")
public class ResyncRequiredException extends RuntimeException {

    public ResyncRequiredException(String message) {
        super(message, null, false, false);
    }
}
