package dev.customersessions.common;

import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;

/**
 * What the service does when a request finds the database gone (a switchover, a failover, a restart):
 * <ul>
 * <li>It checks the idle pooled connections and drops those that no longer work: every one to the server that went
 * away, which the pool's own check leaves in (it drops only a connection that fails with 08006, not one the server
 * terminated with 57P01 or that is closed already). Working ones stay: a late failure after the switch must not throw
 * away the connections just opened to the new primary. At most once per {@link #MIN_INTERVAL_NANOS}.</li>
 * <li>It opens a connection every {@link #PROBE_INTERVAL_MILLIS} ms (after 30 s, every 500 ms) until one succeeds, each handed at once to a request
 * waiting for one. Left to itself, the pool opens connections only for requests that arrive while no other waits: after
 * an outage, the waiting requests would sit up to a second each before one tried, so writing would resume up to a
 * second after the new primary was ready.</li>
 * </ul>
 */
@ApplicationScoped
public class ConnectionLoss {

    static final long MIN_INTERVAL_NANOS = 200_000_000L;
    static final long PROBE_INTERVAL_MILLIS = 25;
    /** How long the prober tries before it leaves reconnecting to the requests again. */
    static final long PROBE_FOR_NANOS = 600_000_000_000L;

    private static final Logger LOG = Logger.getLogger(ConnectionLoss.class);

    @Inject
    AgroalDataSource dataSource;

    private final AtomicLong lastFlush = new AtomicLong(System.nanoTime() - MIN_INTERVAL_NANOS);
    private final AtomicBoolean probing = new AtomicBoolean();

    /** Called with every database failure classified; acts on those that say the server is gone. */
    public void seen(DatabaseFailures.Classified failure) {
        if (failure == null || (failure.kind() != DatabaseFailures.Kind.UNAVAILABLE && failure.kind() != DatabaseFailures.Kind.OUTCOME_UNKNOWN)) {
            return;
        }
        long last = lastFlush.get();
        long now = System.nanoTime();
        if (now - last >= MIN_INTERVAL_NANOS && lastFlush.compareAndSet(last, now)) {
            dataSource.flush(AgroalDataSource.FlushMode.INVALID);
        }
        if (probing.compareAndSet(false, true)) {
            Thread prober = new Thread(this::probe, "database-reconnect");
            prober.setDaemon(true);
            prober.start();
        }
    }

    /**
     * A request answered with this retryable failure ({@code where}: what answered): the pool reacts ({@link #seen}), and
     * the log gets one line per kind of failure and quiet period ({@link FailureLog}).
     */
    public void answered(Logger log, String where, DatabaseFailures.Classified failure, Throwable cause) {
        seen(failure);
        FailureLog.warn(log, failure.kind() + " " + failure.state(),
                where + " answered " + failure.kind() + " (" + failure.state() + "): " + FailureLog.rootMessage(cause));
    }

    private void probe() {
        long started = System.nanoTime();
        try {
            while (System.nanoTime() - started < PROBE_FOR_NANOS) {
                try {
                    // A new connection, given to whichever request waits for one; true once one is spare and valid.
                    if (dataSource.isHealthy(true)) {
                        LOG.infof("The database takes connections again, %d ms after the first failure was seen",
                                (System.nanoTime() - started) / 1_000_000);
                        return;
                    }
                } catch (SQLException | RuntimeException notYet) {
                    // still gone; the requests' own failures are logged
                }
                // every 25 ms through a switchover's seconds; twice a second through a longer outage
                Thread.sleep(System.nanoTime() - started < 30_000_000_000L ? PROBE_INTERVAL_MILLIS : 500);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            probing.set(false);
        }
    }
}
