package dev.customersessions.events;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.customersessions.CustomerSessionsConfig;
import dev.customersessions.common.Clock;
import dev.customersessions.common.FailureLog;
import io.quarkus.scheduler.Scheduled;

/**
 * This instance's reader of the outbox: while anyone listens, one thread reads the events committed since its last
 * read every {@code customer-sessions.events.poll-interval} (at once again after a full batch) and hands each batch,
 * in outbox order, to the listeners. Every instance reads the whole outbox on its own, so a change made through one
 * instance reaches the subscribers of every other; the instances share nothing but the database. Polling was chosen
 * over LISTEN/NOTIFY by measurement (docs/events.md): a NOTIFY in every write serialises commits, and a notification
 * sent while a listener is away is lost, where a position in the outbox is not.
 */
@ApplicationScoped
public class EventFeed {

    private static final Logger LOG = Logger.getLogger(EventFeed.class);

    /**
     * Receives batches of events on the feed's thread; must hand any slow work elsewhere. When a listener throws, the
     * batch is handed again (to every listener) at the next read: a listener must skip the events it already handled.
     */
    @FunctionalInterface
    public interface Listener {
        void onEvents(List<StoredEvent> events);
    }

    @Inject
    EventLog log;

    @Inject
    CustomerSessionsConfig config;

    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    /** The running reader, or null; a reader that is no longer this one stops and hands nothing more. */
    private volatile Reader reader;
    private volatile String lastFailure;

    /** One run of the reader thread, from listen to the last unlisten, with its own position. */
    private final class Reader {
        volatile EventPosition position;

        boolean current() {
            return reader == this;
        }
    }

    /**
     * Starts handing the listener every event committed from now on (every event of a transaction still running now
     * included), starting the reader when it is the first.
     */
    public synchronized void listen(Listener listener) {
        listeners.add(listener);
        if (reader == null) {
            Reader started = new Reader();
            started.position = log.now();
            reader = started;
            Thread thread = new Thread(() -> read(started), "session-event-feed");
            thread.setDaemon(true);
            thread.start();
        }
    }

    /** Stops handing the listener events; the reader stops with the last. */
    public synchronized void unlisten(Listener listener) {
        listeners.remove(listener);
        if (listeners.isEmpty()) {
            reader = null;
        }
    }

    /** Where the feed has read up to: every event before it has been handed to the listeners. */
    public EventPosition position() {
        Reader running = reader;
        return running == null ? log.now() : running.position;
    }

    @PreDestroy
    synchronized void stop() {
        listeners.clear();
        reader = null;
    }

    private void read(Reader self) {
        Duration interval = config.events().pollInterval();
        int batchSize = config.events().batchSize();
        while (self.current()) {
            boolean full = false;
            try {
                EventLog.Batch batch = log.after(self.position, null, batchSize);
                if (!self.current()) {
                    return; // stopped (and perhaps restarted) while it read: the new reader takes over
                }
                if (handed(batch.events())) {
                    self.position = batch.next();
                    full = batch.events().size() == batchSize;
                    if (lastFailure != null) {
                        LOG.info("Change events are read and delivered again");
                        lastFailure = null;
                    }
                } // else the same position is read again after the interval: nothing is skipped
            } catch (RuntimeException e) {
                String failure = e.getClass().getName();
                if (!failure.equals(lastFailure)) { // one line per kind of failure, not one per read
                    LOG.warnf("Change events cannot be read (%s); retrying every %s", FailureLog.rootMessage(e), interval);
                    lastFailure = failure;
                }
            }
            if (!full && !sleep(interval)) {
                return;
            }
        }
    }

    /**
     * Hands the batch to every listener; false when one failed (its snapshots could not be read, say), and then the
     * whole batch is handed again by the next read, to every listener (each skips what it already has): a failure delays
     * events, it never loses one.
     */
    private boolean handed(List<StoredEvent> events) {
        boolean all = true;
        for (Listener listener : listeners) {
            try {
                listener.onEvents(events);
            } catch (RuntimeException e) {
                all = false;
                String failure = "delivery " + e.getClass().getName();
                if (!failure.equals(lastFailure)) { // one line per kind of failure, not one per attempt
                    LOG.warnf(e, "Change events cannot be delivered; the batch is handed again every %s until it is",
                            config.events().pollInterval());
                    lastFailure = failure;
                }
            }
        }
        return all;
    }

    private static boolean sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Deletes the events older than {@code customer-sessions.events.retention}, in batches, on every instance. */
    @Scheduled(every = "10m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void prune() {
        try {
            java.time.OffsetDateTime before = Clock.now().minus(config.events().retention());
            int deleted;
            do {
                deleted = log.prune(before, 5000);
            } while (deleted == 5000);
        } catch (RuntimeException e) {
            LOG.warnf("Pruning old change events stopped early, to be taken up by the next run: %s", FailureLog.rootMessage(e));
        }
    }
}
