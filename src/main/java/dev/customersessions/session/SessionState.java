package dev.customersessions.session;

import java.util.Map;
import java.util.Set;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Enum;

/**
 * The states of a customer session and the transition table of the product specification (section 5).
 * Constants are lower case because they are the wire values of the seed model.
 */
@Enum("CustomerSessionState")
@Description("The state of a customer session. open → closed | cancelled; closed → cancelled | partially_returned "
        + "(only by returning items); partially_returned → cancelled. cancelled is final. open → merged only by "
        + "mergeCustomerSession; merged is final.")
public enum SessionState {
    @Description("The cart is being built; only an open session's content can change.")
    open,
    @Description("The order was placed.")
    closed,
    @Description("Some cart items of the closed session were returned.")
    partially_returned,
    @Description("The session was cancelled. Final.")
    cancelled,
    @Description("The session was merged into another session of its customer by mergeCustomerSession (mergedInto names it); "
            + "its content is kept as it was, read-only. Final.")
    merged;

    /** Transitions a client may ask for with an update (state field), close or cancel. */
    private static final Map<SessionState, Set<SessionState>> BY_UPDATE = Map.of(
            open, Set.of(closed, cancelled),
            closed, Set.of(cancelled),
            partially_returned, Set.of(cancelled),
            cancelled, Set.of(),
            merged, Set.of());

    /** States a session may be created in. */
    public boolean canCreateIn() {
        return this == open || this == closed;
    }

    /** Whether an update may move a session from this state to {@code target}. Staying put is not a transition. */
    public boolean canUpdateTo(SessionState target) {
        return BY_UPDATE.get(this).contains(target);
    }

    /** Whether content other than the state may change. */
    public boolean isContentEditable() {
        return this == open;
    }
}
