package dev.customersessions.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.sql.SQLException;

import jakarta.transaction.RollbackException;

import org.junit.jupiter.api.Test;

/**
 * What a client is told of a database failure, as the driver, Hibernate and the transaction manager wrap it: the
 * SQLStates of a switchover and a failover are UNAVAILABLE; a commit whose connection broke, reported by the
 * transaction manager with the driver's error only attached as a suppressed exception, is OUTCOME_UNKNOWN; a commit that
 * failed for a reason that rolled it back is not.
 */
class DatabaseFailuresTest {

    @Test
    void aSwitchoverOrAFailoverIsUnavailable() {
        for (String state : new String[] {"57P01", "57P02", "57P03", "08006", "08001", "08003", "25006", "53300"}) {
            RuntimeException wrapped = new RuntimeException("JDBC exception", new SQLException("driver", state));
            assertInstanceOf(UnavailableException.class, DatabaseFailures.answerFor(wrapped), state);
            assertEquals(state, DatabaseFailures.classify(wrapped).state());
        }
    }

    @Test
    void aCommitThatLostItsConnectionHasAnUnknownOutcome() {
        RollbackException commit = new RollbackException("ARJUNA016053: Could not commit transaction.");
        commit.addSuppressed(new IllegalStateException("XA", new SQLException("An I/O error occurred while sending to the backend", "08006")));
        RuntimeException thrown = new RuntimeException("QuarkusTransactionException", commit);
        assertInstanceOf(OutcomeUnknownException.class, DatabaseFailures.answerFor(thrown));
        assertEquals(DatabaseFailures.Kind.OUTCOME_UNKNOWN, DatabaseFailures.classify(thrown).kind());
    }

    @Test
    void aCommitRefusedForAReasonThatRolledItBackIsNotUnknown() {
        RollbackException serialization = new RollbackException("could not commit");
        serialization.addSuppressed(new SQLException("could not serialize access", "40001"));
        assertInstanceOf(BusyException.class, DatabaseFailures.answerFor(serialization));
        assertNull(DatabaseFailures.answerFor(new RollbackException("marked for rollback only")));
    }

    @Test
    void waitsAreBusyAndValuesInvalid() {
        assertInstanceOf(BusyException.class, DatabaseFailures.answerFor(new SQLException("lock", "55P03")));
        assertInstanceOf(BusyException.class, DatabaseFailures.answerFor(new SQLException("Sorry, acquisition timeout!")));
        assertInstanceOf(InvalidArgumentException.class, DatabaseFailures.answerFor(new SQLException("out of range", "22008")));
        assertNull(DatabaseFailures.answerFor(new IllegalStateException("a bug")));
        assertNull(DatabaseFailures.classify(null));
    }

    @Test
    void aCycleOfCausesEnds() {
        RuntimeException a = new RuntimeException("a");
        RuntimeException b = new RuntimeException("b", a);
        a.addSuppressed(b);
        assertNull(DatabaseFailures.answerFor(b));
    }
}
