package dev.customersessions.session;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Enum;

/**
 * What a stored change did to a session: the kind of its row in the outbox ({@code session_event}, docs/events.md),
 * written by {@link CustomerSessionRepository} in the statement of the change itself.
 */
@Enum("SessionEventKind")
@Description("What a change did to a customer session.")
public enum SessionEventKind {
    @Description("The session was created (by its first update or startCustomerSession).")
    CREATED,
    @Description("Its content changed (an update or a line operation), its state did not.")
    UPDATED,
    @Description("It was closed: the order was placed.")
    CLOSED,
    @Description("It was cancelled.")
    CANCELLED,
    @Description("Cart items were returned.")
    RETURNED,
    @Description("It was merged into another session of its customer (mergedInto names it).")
    MERGED,
    @Description("Its customer's personal data was erased (eraseCustomerData); totals and lines are kept.")
    ERASED,
    @Description("It was deleted: by its retention, or an open session by eraseCustomerData. The event has no session.")
    DELETED;

    /** The kind of a new version of a session that was {@code from} and is {@code to}. */
    public static SessionEventKind ofChange(SessionState from, SessionState to) {
        if (from == to) {
            return UPDATED;
        }
        return switch (to) {
            case closed -> CLOSED;
            case cancelled -> CANCELLED;
            case partially_returned -> RETURNED;
            case merged -> MERGED;
            case open -> UPDATED;
        };
    }
}
