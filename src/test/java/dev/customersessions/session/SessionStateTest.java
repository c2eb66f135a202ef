package dev.customersessions.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.EnumSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The transition table of spec section 5, every pair, including those only returns can reach. */
class SessionStateTest {

    @Test
    void updatesMayMakeExactlyTheLegalTransitions() {
        Set<String> legal = Set.of("open->closed", "open->cancelled", "closed->cancelled", "partially_returned->cancelled");
        for (SessionState from : SessionState.values()) {
            for (SessionState to : SessionState.values()) {
                assertEquals(legal.contains(from + "->" + to), from.canUpdateTo(to), from + " -> " + to);
            }
        }
    }

    @Test
    void sessionsAreCreatedOpenOrClosed() {
        EnumSet<SessionState> creatable = EnumSet.noneOf(SessionState.class);
        for (SessionState state : SessionState.values()) {
            if (state.canCreateIn()) {
                creatable.add(state);
            }
        }
        assertEquals(EnumSet.of(SessionState.open, SessionState.closed), creatable);
    }

    @Test
    void onlyOpenSessionsAreEditable() {
        for (SessionState state : SessionState.values()) {
            assertEquals(state == SessionState.open, state.isContentEditable(), state.name());
        }
    }
}
