package dev.customersessions.webhooks;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.customersessions.CustomerSessionsConfig;
import dev.customersessions.common.Clock;
import dev.customersessions.webhooks.WebhookDeliveryRepository.Claim;
import dev.customersessions.webhooks.WebhookDeliveryRepository.Outcome;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduler;

/**
 * Runs webhooks on this instance (docs/webhooks.md): the fan-out ({@link WebhookFanOut}) on a thread of its own, and the
 * delivery worker, which claims due deliveries with a lease ({@link WebhookDeliveryRepository#claim}) for as many as it
 * has free slots ({@code customer-sessions.webhooks.concurrency}) and attempts each on a thread of its pool. An attempt's
 * outcome is recorded under its lease: a delivery whose instance died mid-attempt (killed, or cut off) is claimed again
 * by any instance once its lease runs out, so nothing is lost; a receiver may then get it twice, under one webhook-id.
 */
@ApplicationScoped
public class WebhookDeliveryWorker {

    private static final Logger LOG = Logger.getLogger(WebhookDeliveryWorker.class);

    /** The metric of attempts, tagged outcome: delivered, retry (failed, to be tried again) or failed (the last failed). */
    public static final String DELIVERIES_METRIC = "customer.sessions.webhook.deliveries";

    /** How much longer than an attempt may take its lease lasts: time to record its outcome. */
    static final Duration LEASE_MARGIN = Duration.ofSeconds(5);

    private static final int PRUNE_BATCH = 1000;

    @Inject
    WebhookDeliveryRepository deliveries;

    @Inject
    WebhookFanOut fanOut;

    @Inject
    WebhookSender sender;

    @Inject
    CustomerSessionsConfig config;

    @Inject
    MeterRegistry metrics;

    @Inject
    Scheduler scheduler;

    private ExecutorService attempts;
    private Semaphore slots;
    private PollingThread fanOutThread;
    private PollingThread deliveryThread;

    void start(@Observes StartupEvent started) {
        CustomerSessionsConfig.Webhooks settings = config.webhooks();
        if (!settings.enabled()) {
            LOG.info("Webhooks: this instance neither fans out nor delivers (customer-sessions.webhooks.enabled=false)");
            return;
        }
        for (String outcome : List.of("delivered", "retry", "failed")) {
            metrics.counter(DELIVERIES_METRIC, "outcome", outcome);
        }
        metrics.counter(WebhookFanOut.QUEUED_METRIC);
        AtomicInteger threads = new AtomicInteger();
        attempts = Executors.newFixedThreadPool(settings.concurrency(), work -> {
            Thread thread = new Thread(work, "webhook-delivery-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        slots = new Semaphore(settings.concurrency());
        fanOutThread = new PollingThread("Webhook fan-out", settings.fanOutInterval(), () -> !paused() && fanOut.fanOutBatch(), LOG);
        deliveryThread = new PollingThread("Webhook delivery", settings.deliveryInterval(), () -> !paused() && claimAndStart(), LOG);
        fanOutThread.start();
        deliveryThread.start();
    }

    /**
     * Whether the instance's scheduled jobs are paused ({@link Scheduler#pause()}): the fan-out and the claims pause with
     * them, so that whoever pauses the background work of an instance (a test that counts statements) pauses all of it.
     */
    private boolean paused() {
        return scheduler.isStarted() && !scheduler.isRunning();
    }

    /** Stops claiming, and gives the attempts under way up to their timeout to end and be recorded. */
    void stop(@Observes ShutdownEvent stopping) {
        if (attempts == null) {
            return;
        }
        fanOutThread.stop(Duration.ofSeconds(5));
        deliveryThread.stop(Duration.ofSeconds(5));
        attempts.shutdown();
        try {
            if (!attempts.awaitTermination(config.webhooks().timeout().toMillis() + 1000, TimeUnit.MILLISECONDS)) {
                attempts.shutdownNow(); // their leases run out; another instance delivers them
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Claims due deliveries for the free slots and starts their attempts; whether it filled every free slot. */
    boolean claimAndStart() {
        int free = slots.availablePermits();
        if (free == 0) {
            return false;
        }
        List<Claim> claimed = deliveries.claim(free, config.webhooks().timeout().plus(LEASE_MARGIN));
        for (Claim claim : claimed) {
            slots.acquireUninterruptibly();
            attempts.execute(() -> {
                try {
                    attempt(claim);
                } catch (RuntimeException e) {
                    LOG.warnf("Webhooks: the outcome of delivery %d could not be recorded; it is attempted again when its lease "
                            + "runs out: %s", claim.id(), e.getMessage());
                } finally {
                    slots.release();
                }
            });
        }
        return !claimed.isEmpty() && claimed.size() == free;
    }

    private void attempt(Claim claim) {
        CustomerSessionsConfig.Webhooks settings = config.webhooks();
        OffsetDateTime started = Clock.now();
        long start = System.nanoTime();
        WebhookSender.Result result = sender.send(claim.url(), String.valueOf(claim.id()), claim.body(), claim.secrets());
        int durationMs = (int) Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        WebhookDeliveryStatus status;
        OffsetDateTime next = null;
        String outcome;
        if (result.delivered()) {
            status = WebhookDeliveryStatus.DELIVERED;
            outcome = "delivered";
        } else if (claim.queueAttempts() >= settings.maxAttempts()) {
            status = WebhookDeliveryStatus.FAILED;
            outcome = "failed";
        } else {
            status = WebhookDeliveryStatus.PENDING;
            next = Clock.now().plus(backoff(claim.queueAttempts(), settings.backoffBase(), settings.backoffMax(),
                    ThreadLocalRandom.current().nextDouble()));
            outcome = "retry";
        }
        if (deliveries.finish(claim, new Outcome(started, durationMs, result.statusCode(), result.error(), status, next))) {
            metrics.counter(DELIVERIES_METRIC, "outcome", outcome).increment();
        } else {
            LOG.debugf("Webhooks: delivery %d was taken over by another instance after its lease ran out", claim.id());
        }
    }

    /**
     * The wait after the {@code attempt}th failed attempt: {@code base} doubled for each attempt before it, at most
     * {@code max}, varied by up to a quarter either way ({@code random} in [0, 1)) so that retries of many deliveries
     * that failed together do not arrive together.
     */
    static Duration backoff(int attempt, Duration base, Duration max, double random) {
        double doubled = base.toMillis() * Math.pow(2, Math.max(0, attempt - 1));
        double capped = Math.min(doubled, max.toMillis());
        return Duration.ofMillis(Math.round(capped * (0.75 + random / 2)));
    }

    /** Deletes delivered and failed deliveries past customer-sessions.webhooks.retention, in batches, on every instance. */
    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void prune() {
        OffsetDateTime before = Clock.now().minus(config.webhooks().retention());
        try {
            while (deliveries.prune(before, PRUNE_BATCH) == PRUNE_BATCH) {
                // the next batch
            }
        } catch (RuntimeException e) {
            LOG.warnf("Webhooks: pruning the delivery log stopped early, to be taken up by the next run: %s", e.getMessage());
        }
    }
}
