package dev.customersessions.common;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.postgresql.PGConnection;

import dev.customersessions.CustomerSessionsConfig;
import dev.customersessions.CustomerSessionsConfig.Pooler;
import io.agroal.api.AgroalPoolInterceptor;

/**
 * What every database session of the service runs with: the time limits of {@code customer-sessions.database}
 * (lock, statement, idle transaction), so that a request waits a bounded time and then answers BUSY. Called by the
 * connection pool (Agroal, as a pool interceptor bean) for every connection it opens, Flyway's first.
 *
 * <p>Directly or through a pooler in session mode, each connection of the pool is a PostgreSQL session of its own: it
 * sets the limits on itself. Through a pooler in transaction mode (PgBouncer's) it is not: a client's session setting
 * lands on whichever server session ran that statement, then serves other clients, while the client's next
 * transactions run on other server sessions without it. There the limits are the defaults of the service's role in its
 * database ({@code ALTER ROLE ... IN DATABASE ... SET}), which PostgreSQL gives every server session the pooler opens
 * from then on; the first connection sets them when they differ (and on the server session it ran on, opened before),
 * and the driver never names server-side prepared statements (PgBouncer 1.18 keeps none across transactions).
 */
@ApplicationScoped
public class DatabaseSessions implements AgroalPoolInterceptor {

    private static final Logger LOG = Logger.getLogger(DatabaseSessions.class);

    @Inject
    CustomerSessionsConfig config;

    /** Whether the role's defaults were checked (and set): by the first connection, before any other is made. */
    private boolean roleChecked;

    @Override
    public void onConnectionCreate(Connection connection) {
        try {
            if (config.database().pooler() == Pooler.TRANSACTION) {
                connection.unwrap(PGConnection.class).setPrepareThreshold(0);
                synchronized (this) {
                    if (!roleChecked) {
                        setRoleDefaults(connection);
                        roleChecked = true;
                    }
                }
            } else {
                setOnSession(connection);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("The database session's time limits could not be set: " + e.getMessage(), e);
        }
    }

    /** The settings and their values, in PostgreSQL's notation. */
    private Map<String, String> limits() {
        Map<String, String> limits = new LinkedHashMap<>();
        limits.put("lock_timeout", config.database().lockTimeout());
        limits.put("statement_timeout", config.database().statementTimeout());
        limits.put("idle_in_transaction_session_timeout", config.database().statementTimeout());
        return limits;
    }

    private void setOnSession(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "select set_config('lock_timeout', ?, false), set_config('statement_timeout', ?, false), "
                        + "set_config('idle_in_transaction_session_timeout', ?, false)")) {
            int at = 1;
            for (String value : limits().values()) {
                statement.setString(at++, value);
            }
            statement.executeQuery().close();
        }
    }

    private void setRoleDefaults(Connection connection) throws SQLException {
        List<String> wanted = limits().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
        String database;
        List<String> current;
        try (Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("select current_database() as db, (select s.setconfig from pg_db_role_setting s "
                        + "join pg_database d on d.oid = s.setdatabase join pg_roles r on r.oid = s.setrole "
                        + "where d.datname = current_database() and r.rolname = current_user) as settings")) {
            row.next();
            database = row.getString("db");
            java.sql.Array settings = row.getArray("settings");
            current = settings == null ? List.of() : Arrays.asList((String[]) settings.getArray());
        }
        if (current.containsAll(wanted)) {
            return;
        }
        String quotedDatabase = "\"" + database.replace("\"", "\"\"") + "\"";
        StringBuilder sql = new StringBuilder();
        limits().forEach((name, value) -> sql.append("ALTER ROLE CURRENT_USER IN DATABASE ").append(quotedDatabase).append(" SET ")
                .append(name).append(" = '").append(value.replace("'", "''")).append("';\n"));
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false); // one transaction: one server session, which gets the limits now as well
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql.toString());
            setOnSession(connection);
            connection.commit();
            LOG.infof("customer-sessions.database.pooler=transaction: the time limits are now the defaults of this role in "
                    + "database %s (%s); server sessions the pooler opened before keep what they had until it closes them", database, wanted);
        } catch (SQLException e) {
            connection.rollback();
            if ("42501".equals(e.getSQLState())) { // insufficient_privilege
                throw new SQLException("customer-sessions.database.pooler=transaction needs the time limits as defaults of the service's "
                        + "role, which it may not set itself (" + e.getMessage() + "). Have an administrator run, as the role or a "
                        + "superuser:\n" + sql.toString().replace("CURRENT_USER", "<the service's role>"), e.getSQLState(), e);
            }
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }
}
