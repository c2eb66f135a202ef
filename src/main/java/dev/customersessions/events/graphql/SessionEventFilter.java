package dev.customersessions.events.graphql;

import java.util.List;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Input;
import org.eclipse.microprofile.graphql.NonNull;

import dev.customersessions.events.SessionChange;
import dev.customersessions.session.SessionEventKind;

/** Which changes of an application's sessions a subscriber wants. */
@Input("SessionEventFilter")
@Description("Which changes to receive; every field given must match (none: every change).")
public class SessionEventFilter {

    @Description("Only these kinds of change (at most 8).")
    public List<@NonNull SessionEventKind> kinds;

    @Description("Only sessions of this customer (exact). A deleted or erased session has none, so it matches no profileId.")
    public String profileId;

    boolean matches(SessionChange change) {
        if (kinds != null && !kinds.contains(change.kind())) {
            return false;
        }
        return profileId == null || change.snapshot() != null && profileId.equals(change.snapshot().session().profileId);
    }
}
