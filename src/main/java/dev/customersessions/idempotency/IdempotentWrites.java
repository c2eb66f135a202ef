package dev.customersessions.idempotency;

import java.util.Optional;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Status;
import jakarta.transaction.SystemException;
import jakarta.transaction.Transaction;
import jakarta.transaction.TransactionManager;

import dev.customersessions.common.RefusedException;
import dev.customersessions.idempotency.IdempotencyKeys.Stored;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.graphql.api.ErrorCode;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;

/**
 * The transaction of a service's write, with or without an {@code Idempotency-Key}.
 * <p>
 * Without a key, {@link #run} is a transaction of its own, committed when the work returns and rolled back when it
 * throws. With a key, the transaction first takes the key's lock (a second request with the key, on this instance or
 * another, waits here) and looks for an answer kept under it: if there is one, nothing runs and the request is answered
 * with it. Otherwise the work runs; when it is refused ({@link RefusedException}) what it did is rolled back to the
 * point before it, on the same connection. Either way the transaction stays open, detached from the thread, until the
 * HTTP layer has the request's answer: {@link #keep} writes the answer in it and commits, so that the change and its
 * kept answer commit together or not at all, on whatever thread finishes the request; {@link #abandon} rolls back.
 */
@ApplicationScoped
public class IdempotentWrites {

    private static final String BEFORE_WORK = "before_work";

    @Inject
    TransactionManager transactions;

    @Inject
    EntityManager entityManager;

    @Inject
    IdempotencyKeys keys;

    @Inject
    CurrentVertxRequest currentRequest;

    /** The key of the request being served, for the service call that writes under it; null when it has none. */
    public RequestKey current() {
        return RequestKey.of(currentRequest.getCurrent());
    }

    /**
     * Runs one write in a transaction: committed at the end without a key; with one, left open for {@link #keep}, or
     * not run at all when the key has an answer already ({@link AnswerAlreadyKept}).
     */
    public <T> T run(RequestKey key, Supplier<T> work) {
        if (key == null) {
            return QuarkusTransaction.requiringNew().call(work::get);
        }
        key.take();
        begin();
        try {
            Optional<Stored> stored = keys.lockAndFind(key.scope(), key.key());
            if (stored.isPresent()) {
                key.found(stored.get());
                transactions.rollback();
                throw new AnswerAlreadyKept();
            }
            execute("savepoint " + BEFORE_WORK);
            T result;
            try {
                result = work.get();
                entityManager.flush(); // constraint failures surface now, not when the answer is kept
            } catch (RefusedException refused) {
                entityManager.clear(); // what the work changed in memory is not written
                execute("rollback to savepoint " + BEFORE_WORK);
                key.concernsNothing();
                key.hold(transactions.suspend());
                throw refused;
            }
            key.hold(transactions.suspend());
            return result;
        } catch (SystemException e) {
            throw new IllegalStateException(e);
        } finally {
            rollbackIfActive();
        }
    }

    /**
     * For a write that takes several transactions (and so cannot run in the key's one): throws {@link AnswerAlreadyKept}
     * when the key has an answer already, before anything runs, so that a repeat, or a key reused for other input,
     * changes nothing. Checked in a short transaction of its own; {@link #run} checks again when the answer is kept.
     */
    public void requireUnanswered(RequestKey key) {
        if (key == null) {
            return;
        }
        Optional<Stored> stored = QuarkusTransaction.requiringNew().call(() -> keys.lockAndFind(key.scope(), key.key()));
        if (stored.isPresent()) {
            key.found(stored.get());
            throw new AnswerAlreadyKept();
        }
    }

    /**
     * Keeps the request's answer under its key (null: applied, but too large to keep) in the write's transaction and
     * commits both. When that fails, nothing is committed and the failure is thrown.
     */
    public void keep(RequestKey key, String answer) {
        resume(key);
        try {
            keys.store(key.scope(), key.key(), key.fingerprint(), answer, key.sessionId());
            transactions.commit();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) { // the commit's checked failures
            throw new IllegalStateException("The write and its kept answer could not be committed", e);
        } finally {
            rollbackIfActive();
        }
    }

    /** Rolls back the write under the key: its answer could not be given (the request failed after the write). */
    public void abandon(RequestKey key) {
        resume(key);
        rollbackIfActive();
    }

    private void begin() {
        try {
            transactions.begin();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot begin a transaction", e);
        }
    }

    private void resume(RequestKey key) {
        Transaction transaction = key.release();
        try {
            transactions.resume(transaction);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot resume the write's transaction", e);
        }
    }

    private void execute(String sql) {
        entityManager.createNativeQuery(sql).executeUpdate();
    }

    private void rollbackIfActive() {
        try {
            if (transactions.getStatus() != Status.STATUS_NO_TRANSACTION) {
                transactions.rollback();
            }
        } catch (SystemException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Thrown out of a write whose key already has an answer: nothing ran, and the HTTP layer answers with the kept
     * answer ({@link RequestKey#kept()}), whatever this request's execution produced. (Its code marks it as an
     * answer rather than a failure; clients never see it.)
     */
    @ErrorCode("ALREADY_ANSWERED")
    public static final class AnswerAlreadyKept extends RuntimeException {
        AnswerAlreadyKept() {
            super("An answer is kept under this Idempotency-Key", null, false, false);
        }
    }
}
