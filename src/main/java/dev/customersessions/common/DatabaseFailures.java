package dev.customersessions.common;

import java.sql.SQLException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/**
 * What a client is told about a database failure that is not the service's fault: a database too slow or too busy
 * ({@link BusyException}, retryable) or a value PostgreSQL itself refused ({@link InvalidArgumentException}).
 */
public final class DatabaseFailures {

    private DatabaseFailures() {
    }

    /** The answer for this failure, found anywhere in its causes; null when it is an unexpected failure. */
    public static RuntimeException answerFor(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof TimeoutException) { // the pool's wait for a connection
                return atCapacity();
            }
            if (cause instanceof SQLException sql) {
                RuntimeException answer = answerFor(sql);
                if (answer != null) {
                    return answer;
                }
            }
        }
        return null;
    }

    private static RuntimeException answerFor(SQLException sql) {
        String state = sql.getSQLState() == null ? "" : sql.getSQLState();
        if (state.equals("55P03")) { // lock_not_available: lock_timeout
            return new BusyException("The session is being changed by another request; nothing was changed, retry shortly");
        }
        if (state.equals("57014")) { // query_canceled: statement_timeout
            return new BusyException("The database took too long; nothing was changed, retry shortly");
        }
        if (state.startsWith("08")) { // connection exception: the database did not answer
            return new BusyException("The database did not answer in time; retry later");
        }
        if (state.equals("40001") || state.equals("40P01")) { // serialization failure, deadlock
            return new BusyException("The request collided with another one; nothing was changed, retry it");
        }
        if (state.startsWith("22")) { // data exception: a value PostgreSQL cannot hold
            return new InvalidArgumentException("A value is outside what the database can store (times: the years 4713 BC to 294276 AD)");
        }
        if (sql.getMessage() != null && sql.getMessage().toLowerCase(Locale.ROOT).contains("acquisition timeout")) {
            return atCapacity();
        }
        return null;
    }

    private static BusyException atCapacity() {
        return new BusyException("No database connection was free in time; nothing was changed, retry shortly");
    }
}
