package dev.customersessions.session;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.customersessions.CustomerSessionsConfig;
import dev.customersessions.application.ApplicationService;
import dev.customersessions.common.Clock;
import dev.customersessions.common.FieldPath;
import dev.customersessions.common.RefusedException;
import dev.customersessions.common.UserErrorCode;
import dev.customersessions.common.Validation;
import dev.customersessions.idempotency.IdempotentWrites;
import dev.customersessions.idempotency.RequestKey;
import dev.customersessions.session.CustomerSessionRepository.ErasedBatch;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

/**
 * How long sessions live, and the erasure of a customer's data (docs/retention.md). Both work in batches, each batch
 * one short transaction, so that no lock is held long: the retention job on every instance at once (a batch skips the
 * rows another holds, so no session is deleted twice and no instance waits for another), an erasure until its
 * customer's sessions are done or its time budget is used up. Every session deleted or stripped is counted in the
 * metrics, by why and in which state.
 */
@ApplicationScoped
public class SessionRetention {

    private static final Logger LOG = Logger.getLogger(SessionRetention.class);

    /** The metric of deleted sessions, tagged reason (retention, erasure) and state (open, finished). */
    public static final String DELETED_METRIC = "customer.sessions.deleted";
    /** The metric of finished sessions whose personal data an erasure stripped. */
    public static final String STRIPPED_METRIC = "customer.sessions.stripped";

    @Inject
    CustomerSessionRepository sessions;

    @Inject
    ApplicationService applications;

    @Inject
    IdempotentWrites writes;

    @Inject
    CustomerSessionsConfig config;

    @Inject
    MeterRegistry metrics;

    /** What an erasure did in this request; {@code complete} false when sessions of the profile may remain. */
    public record Erasure(int sessionsDeleted, int sessionsStripped, int idempotencyAnswersErased, boolean complete) {

        Erasure plus(ErasedBatch batch, boolean complete) {
            return new Erasure(sessionsDeleted + batch.deleted(), sessionsStripped + batch.stripped(),
                    idempotencyAnswersErased + batch.answersDeleted(), complete);
        }
    }

    @Scheduled(every = "${customer-sessions.retention.interval:1h}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledRemoval() {
        try {
            int removed = removeExpired();
            if (removed > 0) {
                LOG.debugf("Removed %d sessions past their application's retention", removed);
            }
        } catch (RuntimeException e) {
            // A batch that lost a lock conflict (a writer, a merge) is rolled back whole; the next run takes it up again.
            LOG.warnf("Retention run stopped early, to be taken up by the next run: %s", e.getMessage());
        }
    }

    /**
     * Deletes the sessions past their application's retention, open ones first, a batch per transaction until a batch
     * finds fewer than a full batch (the rest are locked by writers, or there are no more).
     *
     * @return how many sessions this run deleted
     */
    public int removeExpired() {
        int batch = config.retention().batchSize();
        int total = 0;
        for (boolean open : new boolean[] {true, false}) {
            int deleted;
            do {
                deleted = QuarkusTransaction.requiringNew().call(() -> sessions.deleteExpired(open, Clock.now(), batch));
                deletedCounter("retention", open).increment(deleted);
                total += deleted;
            } while (deleted == batch);
        }
        return total;
    }

    /**
     * Erases the data of the customer {@code profileId} in the application: open sessions are deleted, finished ones
     * stripped of personal data and marked erased (see {@link CustomerSessionRepository#eraseProfile}), a batch per
     * transaction until none is left or {@code budget} is used up (at least one batch runs).
     * <p>
     * Under an Idempotency-Key the batches do not run in the key's single transaction (a large history takes several):
     * the erasure is idempotent by nature, since a stripped session has no profile id left to find and a deleted one is
     * gone, and its answer (counts only, never the profile id) is kept under the key once the batches are done, in a
     * transaction of its own. The key is looked up before the first batch: a repeat under the key answers that first
     * answer and erases nothing, and a key reused for another profile is refused before anything is erased.
     *
     * @param applicationId the application, or null when a management caller named none (refused)
     * @throws RefusedException VALIDATION_FAILED for a missing application or a profileId that is empty, longer than
     *                          1000 characters or unstorable; NOT_FOUND for an unknown application. Nothing is changed.
     */
    public Erasure erase(Long applicationId, String profileId, Duration budget, RequestKey key) {
        writes.requireUnanswered(key);
        Erasure done;
        try {
            done = eraseInBatches(applicationId, profileId, budget);
        } catch (RefusedException refused) {
            return writes.run(key, () -> {
                throw refused;
            });
        }
        Erasure answer = done;
        return writes.run(key, () -> answer);
    }

    private Erasure eraseInBatches(Long applicationId, String profileId, Duration budget) {
        Validation v = new Validation();
        if (applicationId == null) {
            v.fail(UserErrorCode.VALIDATION_FAILED, FieldPath.of("applicationId"), "applicationId is required with the management key");
        }
        v.requiredText(profileId, SessionRules.MAX_ID_LENGTH, FieldPath.of("profileId"), "profileId");
        v.throwIfFailed();
        if (applications.findById(applicationId).isEmpty()) {
            throw new RefusedException(UserErrorCode.NOT_FOUND, FieldPath.of("applicationId"), "no application with id " + applicationId);
        }
        int batch = config.retention().batchSize();
        long deadline = System.nanoTime() + budget.toNanos();
        Erasure erasure = new Erasure(0, 0, 0, false);
        while (true) {
            ErasedBatch erased = QuarkusTransaction.requiringNew().call(() -> sessions.eraseProfile(applicationId, profileId, Clock.now(), batch));
            deletedCounter("erasure", true).increment(erased.deleted());
            metrics.counter(STRIPPED_METRIC, "reason", "erasure").increment(erased.stripped());
            boolean complete = erased.found() < batch;
            erasure = erasure.plus(erased, complete);
            if (complete || System.nanoTime() - deadline >= 0) {
                return erasure;
            }
        }
    }

    private Counter deletedCounter(String reason, boolean open) {
        return metrics.counter(DELETED_METRIC, "reason", reason, "state", open ? "open" : "finished");
    }
}
