package dev.customersessions.idempotency;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.hibernate.query.TypedParameterValue;
import org.hibernate.type.StandardBasicTypes;
import org.jboss.logging.Logger;

import dev.customersessions.CustomerSessionsConfig;
import dev.customersessions.common.TransactionLocks;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

/**
 * The stored first answers of mutations sent with an {@code Idempotency-Key}, per scope (an application, or
 * management). The transaction that runs a mutation under a key ({@link IdempotentWrites}) holds the key's advisory
 * lock and stores the answer with the mutation's effect, so the answer is kept exactly when the effect is; a second
 * request with the same key, on this instance or another on the same database, waits for the lock and then reads the
 * answer.
 */
@ApplicationScoped
public class IdempotencyKeys {

    private static final Logger LOG = Logger.getLogger(IdempotencyKeys.class);

    /** Rows removed per statement by the cleanup job, so that no statement runs long. */
    private static final int CLEANUP_BATCH = 5000;

    @Inject
    EntityManager entityManager;

    @Inject
    CustomerSessionsConfig config;

    /** A key's stored request fingerprint and answer (null when the answer was too large to keep). */
    public record Stored(String fingerprint, String response) {
    }

    /**
     * In the current transaction: waits until no other transaction works under the key (on this instance or another
     * on the database; at most the lock timeout, then the database refuses, which answers BUSY), then returns what is
     * stored under it, unless that has expired. The lock is held until the transaction ends.
     */
    public Optional<Stored> lockAndFind(String scope, String key) {
        TransactionLocks.lock(entityManager, "idempotency:" + scope + ":" + key);
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entityManager.createNativeQuery("""
                select fingerprint, response from idempotency_key where scope = :scope and key = :key
                and created >= now() - make_interval(secs => :retention)""", Object[].class)
                .setParameter("scope", scope).setParameter("key", key)
                .setParameter("retention", (double) config.idempotency().retention().toSeconds()).getResultList();
        return rows.stream().findFirst().map(row -> new Stored((String) row[0], (String) row[1]));
    }

    /**
     * Stores the answer under the key (replacing an expired one), in the current transaction: the one that holds the
     * key's lock and commits the mutation's effect with it. {@code sessionId}: the session the write concerned (null:
     * none), whose deletion or erasure deletes the answer too (the statements that delete or erase sessions do: the
     * table has no foreign key to sessions, since migration V11).
     */
    public void store(String scope, String key, String fingerprint, String response, Long sessionId) {
        entityManager.createNativeQuery("""
                insert into idempotency_key (scope, key, fingerprint, response, created, session_id)
                values (:scope, :key, :fingerprint, :response, now(), :sessionId)
                on conflict (scope, key) do update set fingerprint = excluded.fingerprint, response = excluded.response,
                created = excluded.created, session_id = excluded.session_id""")
                .setParameter("scope", scope).setParameter("key", key).setParameter("fingerprint", fingerprint)
                .setParameter("response", response).setParameter("sessionId", new TypedParameterValue<>(StandardBasicTypes.LONG, sessionId)).executeUpdate();
    }

    /** Removes the keys older than the retention, a batch at a time. Every instance runs it; they do not conflict. */
    @Scheduled(every = "${customer-sessions.idempotency.cleanup-interval:1h}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void removeExpired() {
        int removed;
        int total = 0;
        do {
            removed = QuarkusTransaction.requiringNew().call(() -> entityManager.createNativeQuery("""
                    delete from idempotency_key where ctid = any (array(select ctid from idempotency_key
                    where created < now() - make_interval(secs => :retention) limit :batch))""")
                    .setParameter("retention", (double) config.idempotency().retention().toSeconds())
                    .setParameter("batch", CLEANUP_BATCH).executeUpdate());
            total += removed;
        } while (removed == CLEANUP_BATCH);
        if (total > 0) {
            LOG.debugf("Removed %d expired idempotency keys", total);
        }
    }
}
