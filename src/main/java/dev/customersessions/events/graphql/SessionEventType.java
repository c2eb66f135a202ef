package dev.customersessions.events.graphql;

import java.time.OffsetDateTime;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Type;

import dev.customersessions.events.SessionChange;
import dev.customersessions.session.SessionEventKind;
import dev.customersessions.session.graphql.CustomerSessionType;

/** One change of a session as a subscriber receives it (docs/events.md). */
@Type("SessionEvent")
@Description("A stored change of a customer session. A subscriber gets every change, a session's in version order, each with the "
        + "session as stored when it is delivered: at the change's version or, when later changes were stored meanwhile, newer (their "
        + "events follow).")
public class SessionEventType {

    @NonNull
    @Description("What the change did.")
    public SessionEventKind kind;

    @NonNull
    @Description("The session's version after the change (after a deletion: the one after its last).")
    public int version;

    @NonNull
    @Description("The session's integrationId.")
    public String integrationId;

    @NonNull
    @Description("When the change was stored.")
    public OffsetDateTime occurredAt;

    @NonNull
    @Description("Where this event stands in the application's stream: pass it as `since` to customerSessionsChanged to resume "
            + "after it.")
    public String cursor;

    @Description("The session as stored when this event is delivered (session.version is version or newer); null once deleted.")
    public CustomerSessionType session;

    static SessionEventType of(SessionChange change) {
        SessionEventType type = new SessionEventType();
        type.kind = change.kind();
        type.version = Math.toIntExact(change.version());
        type.integrationId = change.event().integrationId();
        type.occurredAt = change.event().occurred();
        type.cursor = change.event().position().cursor();
        type.session = change.snapshot() == null ? null : CustomerSessionType.read(change.snapshot());
        return type;
    }
}
