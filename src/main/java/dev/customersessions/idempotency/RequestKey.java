package dev.customersessions.idempotency;

import jakarta.transaction.Transaction;

import io.vertx.ext.web.RoutingContext;

import dev.customersessions.idempotency.IdempotencyKeys.Stored;

/**
 * The {@code Idempotency-Key} of one request, as it travels from the HTTP layer to the service call that writes under
 * it, and what became of it there: the answer kept under the key by an earlier request (a replay), or the write's
 * transaction, still open, waiting for this request's answer to be kept in it ({@link IdempotentWrites}). One request
 * covers one mutation, so a key is taken by one write at most.
 */
public final class RequestKey {

    private final String scope;
    private final String key;
    private final String fingerprint;

    // Set by the write, on whatever thread runs it; read by the HTTP layer once the execution has completed.
    private volatile boolean taken;
    private volatile Stored kept;
    private volatile Transaction open;
    private volatile Long sessionId;

    /**
     * @param scope       whose keys these are (an application, a restricted key, or management)
     * @param key         the header's value
     * @param fingerprint what the request asks (document, operation name, variables), to tell a repeat from a reuse
     */
    public RequestKey(String scope, String key, String fingerprint) {
        this.scope = scope;
        this.key = key;
        this.fingerprint = fingerprint;
    }

    /** Makes the key the one of the request in {@code context}, for its write to find ({@link #of}). */
    public void attachTo(RoutingContext context) {
        context.put(RequestKey.class.getName(), this);
    }

    /** The key of the request in {@code context}, or null when it has none (or none that applies: a query, a dry run). */
    public static RequestKey of(RoutingContext context) {
        return context == null ? null : context.get(RequestKey.class.getName());
    }

    public String scope() {
        return scope;
    }

    public String key() {
        return key;
    }

    public String fingerprint() {
        return fingerprint;
    }

    /**
     * Records that the write under this key locked or created the session with this id, so that the answer kept under
     * the key (which may hold the session's personal data) is deleted with the session, or by an erasure of its data.
     * Without a key (null) there is no answer to keep, and nothing to record.
     */
    public static void concerns(RequestKey key, long sessionId) {
        if (key != null) {
            key.sessionId = sessionId;
        }
    }

    /** The session the write under the key locked or created; null when none (management) or when it was refused. */
    Long sessionId() {
        return sessionId;
    }

    /** Forgets the session: a refused write rolled back to before its work, which may have created the session. */
    void concernsNothing() {
        sessionId = null;
    }

    /** What an earlier request kept under the key, when this request found it (and so applied nothing); else null. */
    public Stored kept() {
        return kept;
    }

    /** Whether a write ran under the key and its transaction waits for the answer ({@link IdempotentWrites#keep}). */
    public boolean isOpen() {
        return open != null;
    }

    void take() {
        if (taken) {
            throw new IllegalStateException("An Idempotency-Key covers one write; this request's was taken already");
        }
        taken = true;
    }

    void found(Stored answer) {
        kept = answer;
    }

    void hold(Transaction transaction) {
        open = transaction;
    }

    Transaction release() {
        Transaction transaction = open;
        open = null;
        if (transaction == null) {
            throw new IllegalStateException("No write under this Idempotency-Key is waiting for its answer");
        }
        return transaction;
    }
}
