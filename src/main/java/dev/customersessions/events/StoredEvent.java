package dev.customersessions.events;

import java.time.OffsetDateTime;

import dev.customersessions.session.SessionEventKind;

/**
 * One row of the outbox: a change of one session, as its write stored it (docs/events.md). {@code version} is the
 * session's version after the change (for a deletion, the one after its last). {@code position} orders the outbox
 * for readers: the writing transaction's id, then the row's id.
 */
public record StoredEvent(long applicationId, long id, long sessionId, String integrationId, long version, SessionEventKind kind,
        OffsetDateTime occurred, EventPosition position) {
}
