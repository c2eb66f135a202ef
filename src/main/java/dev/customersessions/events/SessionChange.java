package dev.customersessions.events;

import dev.customersessions.session.SessionEventKind;
import dev.customersessions.session.SessionSnapshot;

/**
 * What a subscriber receives: one stored change of a session (its kind and the version it made), with the session as
 * stored when the change is delivered: at that version or, when later changes were stored meanwhile, a newer one (they
 * follow); null once deleted.
 */
public record SessionChange(StoredEvent event, SessionEventKind kind, long version, SessionSnapshot snapshot) {

    static SessionChange of(StoredEvent event, SessionSnapshot snapshot) {
        return new SessionChange(event, event.kind(), event.version(), snapshot);
    }
}
