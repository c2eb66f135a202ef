package dev.customersessions.idempotency;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.jboss.logging.Logger;

import dev.customersessions.CustomerSessionsConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

/**
 * The stored first answers of mutations sent with an {@code Idempotency-Key}, per scope (an application, or
 * management). A key is claimed by inserting its row in the transaction that runs the mutation and commits with it,
 * so the answer is stored exactly when the mutation's effect is; a second request with the same key, on this instance
 * or another on the same database, waits on the first one's row and then reads its answer.
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

    /** A key's stored request fingerprint and answer. */
    public record Stored(String fingerprint, String response) {
    }

    /**
     * In the current transaction: claims the key for this request, or, when it is taken (and not expired), returns
     * what is stored under it. While another transaction holds an uncommitted claim of the same key, this waits for
     * it, at most the statement timeout (then the database refuses, which answers BUSY).
     */
    public Optional<Stored> claim(String scope, String key, String fingerprint) {
        setLockTimeout(config.database().statementTimeout());
        @SuppressWarnings("unchecked")
        List<Object> claimed = entityManager.createNativeQuery("""
                insert into idempotency_key (scope, key, fingerprint, created) values (:scope, :key, :fingerprint, now())
                on conflict (scope, key) do update set fingerprint = excluded.fingerprint, created = excluded.created, response = null
                where idempotency_key.created < now() - make_interval(secs => :retention)
                returning 1""")
                .setParameter("scope", scope).setParameter("key", key).setParameter("fingerprint", fingerprint)
                .setParameter("retention", (double) config.idempotency().retention().toSeconds()).getResultList();
        setLockTimeout(config.database().lockTimeout());
        if (!claimed.isEmpty()) {
            return Optional.empty();
        }
        Object[] row = (Object[]) entityManager.createNativeQuery(
                "select fingerprint, response from idempotency_key where scope = :scope and key = :key")
                .setParameter("scope", scope).setParameter("key", key).getSingleResult();
        return Optional.of(new Stored((String) row[0], (String) row[1]));
    }

    /** In the current transaction: stores the answer under the key this transaction claimed. */
    public void answer(String scope, String key, String response) {
        entityManager.createNativeQuery("update idempotency_key set response = :response where scope = :scope and key = :key")
                .setParameter("response", response).setParameter("scope", scope).setParameter("key", key).executeUpdate();
    }

    /**
     * In a transaction of its own: stores the answer of a request that stored nothing else (a refusal), unless
     * another request claimed the key meanwhile.
     */
    public void answerAlone(String scope, String key, String fingerprint, String response) {
        QuarkusTransaction.requiringNew().run(() -> entityManager.createNativeQuery("""
                insert into idempotency_key (scope, key, fingerprint, response, created)
                values (:scope, :key, :fingerprint, :response, now()) on conflict (scope, key) do nothing""")
                .setParameter("scope", scope).setParameter("key", key).setParameter("fingerprint", fingerprint)
                .setParameter("response", response).executeUpdate());
    }

    private void setLockTimeout(String timeout) {
        entityManager.createNativeQuery("select set_config('lock_timeout', :timeout, true)").setParameter("timeout", timeout)
                .getSingleResult();
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
