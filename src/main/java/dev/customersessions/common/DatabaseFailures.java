package dev.customersessions.common;

import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeoutException;

import jakarta.transaction.HeuristicMixedException;
import jakarta.transaction.HeuristicRollbackException;
import jakarta.transaction.RollbackException;

/**
 * What a client is told about a database failure that is not the service's fault: a database too slow or too busy
 * ({@link BusyException}), one that cannot be reached or is restarting ({@link UnavailableException}), a commit whose
 * outcome the connection's loss hid ({@link OutcomeUnknownException}); all three retryable. Or a value PostgreSQL
 * itself refused ({@link InvalidArgumentException}).
 *
 * <p>The failure is searched through its causes and its suppressed exceptions: a failed commit comes out of the
 * transaction manager as "could not commit" with the connection's error attached only as a suppressed exception.
 */
public final class DatabaseFailures {

    /** How many exceptions of a failure's graph are looked at, at most (causes and suppressed ones). */
    private static final int MAX_EXAMINED = 64;

    private DatabaseFailures() {
    }

    /** The kinds of database failure a client is told about. */
    public enum Kind {
        /** Lock, statement or connection-pool wait over its limit, a serialization failure: nothing changed. */
        BUSY,
        /** The database is unreachable, shutting down, starting up or read-only (a standby): nothing changed. */
        UNAVAILABLE,
        /** The connection broke while the commit was under way: the write may or may not be stored. */
        OUTCOME_UNKNOWN,
        /** A value the database cannot hold. */
        INVALID_VALUE
    }

    /** The answer for this failure, found anywhere in its causes; null when it is an unexpected failure. */
    public static RuntimeException answerFor(Throwable failure) {
        return answerFor(classify(failure));
    }

    /** The answer for a failure classified already; null for an unexpected failure (null). */
    public static RuntimeException answerFor(Classified classified) {
        if (classified == null) {
            return null;
        }
        return switch (classified.kind) {
            case BUSY -> new BusyException(classified.message);
            case UNAVAILABLE -> new UnavailableException(classified.message);
            case OUTCOME_UNKNOWN -> new OutcomeUnknownException(classified.message);
            case INVALID_VALUE -> new InvalidArgumentException(classified.message);
        };
    }

    /**
     * The kind of this failure, with its SQLState (or a short name where there is none): what one line of the log
     * says once per outage ({@link FailureLog}). Null for an unexpected failure.
     */
    public static Classified classify(Throwable failure) {
        if (failure == null) {
            return null;
        }
        boolean commitFailed = false;
        Classified found = null;
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Throwable> pending = new ArrayDeque<>();
        pending.add(failure);
        while (!pending.isEmpty() && seen.size() < MAX_EXAMINED) {
            Throwable cause = pending.poll();
            if (cause == null || !seen.add(cause)) {
                continue;
            }
            if (cause instanceof RollbackException || cause instanceof HeuristicMixedException || cause instanceof HeuristicRollbackException) {
                commitFailed = true;
            }
            if (found == null) {
                found = classifyOne(cause);
            }
            if (cause.getCause() != null) {
                pending.add(cause.getCause());
            }
            Collections.addAll(pending, cause.getSuppressed());
        }
        if (found != null && found.kind == Kind.UNAVAILABLE && commitFailed) {
            return new Classified(Kind.OUTCOME_UNKNOWN, found.state, "The connection to the database broke while the change was being "
                    + "committed: it may or may not be stored. Repeat the request with the same Idempotency-Key (without one, read "
                    + "the session before repeating a change that is not harmless to repeat)");
        }
        return found;
    }

    /** A failure's kind, its SQLState (or a short name), and what the client is told. */
    public record Classified(Kind kind, String state, String message) {
    }

    private static Classified classifyOne(Throwable cause) {
        if (cause instanceof TimeoutException) { // the pool's wait for a connection
            return atCapacity();
        }
        if (!(cause instanceof SQLException sql)) {
            return null;
        }
        String state = sql.getSQLState() == null ? "" : sql.getSQLState();
        if (state.equals("55P03")) { // lock_not_available: lock_timeout
            return new Classified(Kind.BUSY, state, "The session is being changed by another request; nothing was changed, retry shortly");
        }
        if (state.equals("57014")) { // query_canceled: statement_timeout
            return new Classified(Kind.BUSY, state, "The database took too long; nothing was changed, retry shortly");
        }
        if (state.equals("40001") || state.equals("40P01")) { // serialization failure, deadlock
            return new Classified(Kind.BUSY, state, "The request collided with another one; nothing was changed, retry it");
        }
        // 08: connection exception; 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now (starting up,
        // in recovery); 25006 read_only_sql_transaction (a standby: the primary moved); 53300 too_many_connections.
        if (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")
                || state.equals("25006") || state.equals("53300")) {
            return new Classified(Kind.UNAVAILABLE, state, "The database is unavailable (restarting, switching over or unreachable); "
                    + "nothing was changed, retry after a moment");
        }
        if (state.startsWith("22")) { // data exception: a value PostgreSQL cannot hold
            return new Classified(Kind.INVALID_VALUE, state,
                    "A value is outside what the database can store (times: the years 4713 BC to 294276 AD)");
        }
        if (sql.getMessage() != null && sql.getMessage().toLowerCase(Locale.ROOT).contains("acquisition timeout")) {
            return atCapacity();
        }
        return null;
    }

    private static Classified atCapacity() {
        return new Classified(Kind.BUSY, "pool", "No database connection was free in time; nothing was changed, retry shortly");
    }
}
