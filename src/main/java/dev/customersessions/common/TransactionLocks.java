package dev.customersessions.common;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

import jakarta.persistence.EntityManager;

/** Locks on names rather than rows, held until the current transaction ends (PostgreSQL advisory locks). */
public final class TransactionLocks {

    /** The statement, with its one parameter (the key) spelled as {@code %s}. */
    private static final String LOCK = "select pg_advisory_xact_lock(hashtextextended(%s, 0))";

    private TransactionLocks() {
    }

    /**
     * Waits for, then holds, the lock on {@code key} until the transaction ends. Two different keys may share a hash;
     * they then merely wait for each other.
     */
    public static void lock(EntityManager entityManager, String key) {
        entityManager.createNativeQuery(LOCK.formatted(":key")).setParameter("key", key).getSingleResult();
    }

    /** As {@link #lock(EntityManager, String)}, on the transaction's JDBC connection. */
    public static void lock(Connection connection, String key) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(LOCK.formatted("?"))) {
            statement.setString(1, key);
            statement.executeQuery().close();
        }
    }
}
