package dev.customersessions.support;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

/**
 * Holds the outbox's readers back, as a slow instance's feed is behind: a transaction that has taken an id and stays
 * open keeps {@code pg_snapshot_xmin} (the horizon readers stop at) below every transaction that commits after it, so
 * no feed reads their events until it is closed (rolled back). PostgreSQL ends it by itself after the statement timeout
 * (idle in transaction, 10 s): hold it for a few seconds at most.
 */
public final class HeldHorizon implements AutoCloseable {

    private final Connection connection;
    private boolean closed;

    private HeldHorizon(Connection connection) {
        this.connection = connection;
    }

    /** From now until {@link #close()}, no feed reads an event committed after this call. */
    public static HeldHorizon hold(DataSource dataSource) throws SQLException {
        Connection connection = dataSource.getConnection();
        try {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.execute("select pg_current_xact_id()");
            }
            return new HeldHorizon(connection);
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    /** Lets the feeds read on; closing again does nothing. */
    @Override
    public void close() throws SQLException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            connection.rollback();
        } finally {
            connection.close();
        }
    }
}
