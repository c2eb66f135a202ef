package dev.customersessions.events;

import dev.customersessions.session.SessionEventKind;
import dev.customersessions.session.SessionSnapshot;

/**
 * What a subscriber receives: the newest change of a session it has not seen, with the session as stored when it was
 * read (null once deleted). {@code version} is the stored session's (for a deletion, the one after its last):
 * a subscriber's versions only grow, and a version it skipped was overwritten by the one it gets.
 */
public record SessionChange(StoredEvent event, SessionEventKind kind, long version, SessionSnapshot snapshot) {

    static SessionChange of(StoredEvent event, SessionSnapshot snapshot) {
        if (snapshot == null) {
            return new SessionChange(event, event.kind(), event.version(), null);
        }
        long stored = snapshot.session().version;
        // The stored session may already be newer than the event that woke us: its kind is then that of a newer event,
        // which follows; until then the change is described by the state.
        SessionEventKind kind = stored == event.version() ? event.kind() : SessionEventKind.UPDATED;
        return new SessionChange(event, kind, stored, snapshot);
    }
}
