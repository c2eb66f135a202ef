package dev.customersessions.events;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.customersessions.session.CustomerSessionService;
import dev.customersessions.session.SessionEventKind;
import dev.customersessions.session.SessionSnapshot;

/**
 * This instance's subscribers to change events, and the delivery of each batch the {@link EventFeed} reads to them
 * (docs/events.md). Per batch, the sessions that changed and have a subscriber are read once each (in three statements
 * per application for the whole batch, whatever the number of subscribers), and each subscriber gets every change in
 * outbox order (a session's versions in order), each with the session as stored. A subscriber to one session that
 * holds a session token is dropped once the session no longer carries that token.
 */
@ApplicationScoped
public class SessionEventHub implements EventFeed.Listener {

    /** Sessions read per statement when delivering a batch. */
    private static final int READ_CHUNK = 200;
    /** The most events a resuming subscriber to an application is replayed; more, and it is told to re-read. */
    public static final int MAX_REPLAY = 10_000;
    /** Events read per statement while replaying. */
    public static final int REPLAY_BATCH = 1000;

    @Inject
    EventFeed feed;

    @Inject
    EventLog log;

    @Inject
    CustomerSessionService sessions;

    @Inject
    io.micrometer.core.instrument.MeterRegistry metrics;

    @jakarta.annotation.PostConstruct
    void measure() {
        metrics.gauge("customer.sessions.subscriptions", this, SessionEventHub::subscriptions);
    }

    /** Created at start-up, so that the gauge is there (at 0) before the first subscriber, not only after. */
    void start(@jakarta.enterprise.event.Observes io.quarkus.runtime.StartupEvent started) {
    }

    /** Why a subscription ended from the service's side. */
    public enum End {
        /** The session is gone: its last change (DELETED) was delivered. */
        DELETED,
        /** The session no longer carries the token the subscriber holds (a new one was issued). */
        TOKEN_REPLACED,
        /** A subscriber to an application resumed from a position the outbox no longer holds, or fell too far behind. */
        RESYNC_REQUIRED
    }

    /** Receives a subscription's changes, in order, and its end. */
    public interface Sink {
        void change(SessionChange change);

        void end(End why);
    }

    /** A subscription's handle: closing it stops its deliveries. */
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    private final Map<Long, List<SessionSubscriber>> bySession = new ConcurrentHashMap<>();
    private final Map<Long, List<ApplicationSubscriber>> byApplication = new ConcurrentHashMap<>();
    private int count;

    /**
     * Subscribes to one session's changes after {@code seenVersion}, the version the subscriber found it at: a change up
     * to it is not delivered, also when this instance's feed reads it only now. With {@code afterVersion}, the changes
     * after it instead, and the session as stored is delivered at once when its version is above it (what the
     * subscriber missed). With a token hash, the subscription ends once the session no longer carries it.
     */
    public Subscription subscribeSession(long applicationId, long sessionId, String tokenHash, long seenVersion, Long afterVersion,
            Sink sink) {
        long from = afterVersion == null ? seenVersion : afterVersion;
        SessionSubscriber subscriber = new SessionSubscriber(applicationId, sessionId, tokenHash, from, sink);
        add(bySession, sessionId, subscriber);
        started();
        // Read once more now that the subscriber is registered: a change made between the caller's look-up and the
        // registration may have passed the feed already (the subscriber skips a version it gets twice).
        SessionSnapshot snapshot = sessions.snapshotsOf(applicationId, List.of(sessionId), Integer.MAX_VALUE - 1).get(sessionId);
        if (snapshot == null) {
            StoredEvent last = log.latestOf(applicationId, sessionId);
            if (last != null && last.kind() == SessionEventKind.DELETED) {
                subscriber.offer(SessionChange.of(last, null));
            }
        } else if (snapshot.session().version > from) {
            StoredEvent last = log.latestOf(applicationId, sessionId);
            SessionEventKind kind = last != null && last.version() == snapshot.session().version ? last.kind() : SessionEventKind.UPDATED;
            StoredEvent described = last != null ? last : new StoredEvent(applicationId, -1, sessionId, snapshot.session().integrationId,
                    snapshot.session().version, kind, snapshot.session().updated, feed.position());
            subscriber.offer(new SessionChange(described, kind, snapshot.session().version, snapshot));
        }
        return () -> remove(bySession, sessionId, subscriber);
    }

    /**
     * Subscribes to the changes of an application's sessions that pass the filter, from now on, or from a position
     * of the outbox (what the subscriber missed is replayed first, up to {@link #MAX_REPLAY} events; from a position
     * the outbox no longer holds, the subscription ends with {@link End#RESYNC_REQUIRED} at once).
     */
    public Subscription subscribeApplication(long applicationId, Predicate<SessionChange> filter, EventPosition since, Sink sink) {
        ApplicationSubscriber subscriber = new ApplicationSubscriber(filter, sink, since);
        add(byApplication, applicationId, subscriber);
        started();
        Subscription handle = () -> remove(byApplication, applicationId, subscriber);
        if (since != null) {
            EventPosition live = feed.position();
            if (!log.retainsAfter(since)) {
                subscriber.endWith(End.RESYNC_REQUIRED);
                return handle;
            }
            EventPosition at = since;
            int replayed = 0;
            while (at.compareTo(live) < 0) {
                EventLog.Batch batch = log.after(at, applicationId, REPLAY_BATCH);
                if (batch.events().isEmpty()) {
                    break;
                }
                replayed += batch.events().size();
                if (replayed > MAX_REPLAY) {
                    subscriber.endWith(End.RESYNC_REQUIRED);
                    return handle;
                }
                for (SessionChange change : changesOf(batch.events())) {
                    subscriber.deliver(change);
                }
                at = batch.next();
            }
            subscriber.replayed();
        }
        return handle;
    }

    /** How many subscriptions this instance holds. */
    public synchronized int subscriptions() {
        return count;
    }

    private synchronized void started() {
        if (count++ == 0) {
            feed.listen(this);
        }
    }

    /**
     * Adds and removes under the index's lock of the key ({@code compute}), so that a subscriber is never added to a list
     * that its last subscriber's removal is taking out of the index (it would then receive nothing).
     */
    private static <S> void add(Map<Long, List<S>> index, long key, S subscriber) {
        index.compute(key, (k, list) -> {
            List<S> subscribers = list == null ? new CopyOnWriteArrayList<>() : list;
            subscribers.add(subscriber);
            return subscribers;
        });
    }

    private <S> void remove(Map<Long, List<S>> index, long key, S subscriber) {
        boolean[] removed = new boolean[1];
        index.computeIfPresent(key, (k, list) -> {
            removed[0] = list.remove(subscriber);
            return list.isEmpty() ? null : list;
        });
        if (removed[0]) {
            synchronized (this) {
                if (--count == 0) {
                    feed.unlisten(this);
                }
            }
        }
    }

    @Override
    public void onEvents(List<StoredEvent> events) {
        List<StoredEvent> wanted = events.stream()
                .filter(e -> bySession.containsKey(e.sessionId()) || byApplication.containsKey(e.applicationId())).toList();
        if (wanted.isEmpty()) {
            return;
        }
        for (SessionChange change : changesOf(wanted)) {
            List<SessionSubscriber> ofSession = bySession.getOrDefault(change.event().sessionId(), List.of());
            for (SessionSubscriber subscriber : ofSession) {
                subscriber.offer(change);
            }
            for (ApplicationSubscriber subscriber : byApplication.getOrDefault(change.event().applicationId(), List.of())) {
                subscriber.offer(change);
            }
        }
    }

    /**
     * Every event of the batch, in outbox order, each with its session as stored now: each session that changed is
     * read once, whatever the number of its events and subscribers.
     */
    private List<SessionChange> changesOf(List<StoredEvent> events) {
        Map<Long, List<Long>> idsByApplication = new LinkedHashMap<>();
        Map<Long, Boolean> seen = new LinkedHashMap<>();
        for (StoredEvent event : events) {
            if (event.kind() != SessionEventKind.DELETED && seen.put(event.sessionId(), Boolean.TRUE) == null) {
                idsByApplication.computeIfAbsent(event.applicationId(), a -> new ArrayList<>()).add(event.sessionId());
            }
        }
        Map<Long, SessionSnapshot> stored = new LinkedHashMap<>();
        idsByApplication.forEach((applicationId, ids) -> {
            for (int from = 0; from < ids.size(); from += READ_CHUNK) {
                stored.putAll(sessions.snapshotsOf(applicationId, ids.subList(from, Math.min(ids.size(), from + READ_CHUNK)),
                        Integer.MAX_VALUE - 1));
            }
        });
        List<SessionChange> changes = new ArrayList<>(events.size());
        for (StoredEvent event : events) {
            // A session deleted since has no snapshot: its change is delivered without one, its deletion follows.
            changes.add(SessionChange.of(event, event.kind() == SessionEventKind.DELETED ? null : stored.get(event.sessionId())));
        }
        return changes;
    }

    private static final class SessionSubscriber {
        final long applicationId;
        final long sessionId;
        final String tokenHash;
        final Sink sink;
        long lastVersion;
        boolean ended;

        SessionSubscriber(long applicationId, long sessionId, String tokenHash, long lastVersion, Sink sink) {
            this.applicationId = applicationId;
            this.sessionId = sessionId;
            this.tokenHash = tokenHash;
            this.lastVersion = lastVersion;
            this.sink = sink;
        }

        synchronized void offer(SessionChange change) {
            if (ended || change.version() <= lastVersion) {
                return;
            }
            if (tokenHash != null && change.snapshot() != null && !Objects.equals(tokenHash, change.snapshot().session().tokenHash)) {
                ended = true;
                sink.end(End.TOKEN_REPLACED);
                return;
            }
            lastVersion = change.version();
            sink.change(change);
            if (change.kind() == SessionEventKind.DELETED) {
                ended = true;
                sink.end(End.DELETED);
            }
        }
    }

    private static final class ApplicationSubscriber {
        final Predicate<SessionChange> filter;
        final Sink sink;
        /**
         * The outbox position of the last change delivered (or, resuming, the cursor): none at or before it is delivered,
         * also when this instance's feed is behind the cursor (it read more slowly than the one that gave it out).
         */
        EventPosition last;
        /** Live changes held back while what was missed is replayed. */
        ArrayDeque<SessionChange> held;
        boolean ended;

        ApplicationSubscriber(Predicate<SessionChange> filter, Sink sink, EventPosition since) {
            this.filter = filter;
            this.sink = sink;
            this.last = since;
            this.held = since != null ? new ArrayDeque<>() : null;
        }

        synchronized void offer(SessionChange change) {
            if (held != null) {
                if (held.size() >= MAX_REPLAY) {
                    endWith(End.RESYNC_REQUIRED);
                } else {
                    held.add(change);
                }
                return;
            }
            deliver(change);
        }

        synchronized void deliver(SessionChange change) {
            if (ended) {
                return;
            }
            if (last != null && change.event().position().compareTo(last) <= 0) {
                return;
            }
            last = change.event().position();
            if (filter.test(change)) {
                sink.change(change);
            }
        }

        synchronized void replayed() {
            Collection<SessionChange> live = held;
            held = null;
            if (live != null) {
                live.forEach(this::deliver);
            }
        }

        synchronized void endWith(End why) {
            if (!ended) {
                ended = true;
                held = null;
                sink.end(why);
            }
        }
    }
}
