package dev.customersessions.session;

import java.util.List;

/**
 * What a merge at login leaves: the customer's one open session, as stored after the merge, and the sessions merged
 * away (state merged) in the order they were merged; none when the guest session was only bound to the profile.
 */
public record MergeResult(SessionSnapshot survivor, List<SessionSnapshot> merged) {
}
