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

    /** The BUSY failure behind a database failure, if the database was only too slow or too busy; else null. */
    public static BusyException of(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof java.sql.SQLException sql) {
                String state = sql.getSQLState();
                if ("55P03".equals(state)) { // lock_not_available: lock_timeout
                    return new BusyException("The session is being changed by another request; nothing was changed, retry shortly");
                }
                if ("57014".equals(state)) { // query_canceled: statement_timeout
                    return new BusyException("The database took too long; nothing was changed, retry shortly");
                }
                if (state != null && state.startsWith("08")) { // connection exception: the database did not answer
                    return new BusyException("The database did not answer in time; retry later");
                }
                if ("40001".equals(state) || "40P01".equals(state)) { // serialization failure, deadlock
                    return new BusyException("The request collided with another one; nothing was changed, retry it");
                }
                if (sql.getMessage() != null && sql.getMessage().toLowerCase(java.util.Locale.ROOT).contains("acquisition timeout")) {
                    return atCapacity();
                }
            }
            if (cause instanceof java.util.concurrent.TimeoutException) { // the pool's wait for a connection
                return atCapacity();
            }
        }
        return null;
    }

    private static BusyException atCapacity() {
        return new BusyException("No database connection was free in time; nothing was changed, retry shortly");
    }
}
