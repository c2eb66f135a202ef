package dev.customersessions.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * An embedded PostgreSQL behind {@link PgBouncer}, handed to the packaged application as an operator would configure
 * it (docs/pooler.md): the JDBC URL of PgBouncer, {@code customer-sessions.database.pooler} set to the pool mode, and
 * in transaction mode the direct URL for the listener. In transaction mode PgBouncer has few server sessions (4), so
 * the pool's connections share them. Init argument {@code pool_mode}: {@code transaction} or {@code session}.
 */
public class PgBouncerDatabase implements QuarkusTestResourceLifecycleManager {

    /**
     * In transaction mode, the server sessions PgBouncer opens to PostgreSQL for all the application's connections. In
     * session mode each client connection needs one of its own: the pool's 20, the listener's, the tests'.
     */
    public static final int SERVER_SESSIONS = 4;
    private static final int SESSION_MODE_SERVER_SESSIONS = 40;
    /** The application's lock timeout in these tests (not the default 2s, so that a test can tell that it took). */
    public static final String LOCK_TIMEOUT = "1s";

    private static volatile String directUrl;
    private static volatile String pooledUrl;
    private static volatile String poolMode;

    private String mode = "transaction";
    private EmbeddedPostgres postgres;
    private PgBouncer pgbouncer;

    /** Whether PgBouncer is installed; if not, says the test is left out (and fails with CI set). For {@code @EnabledIf}. */
    public static boolean installed() {
        return PgBouncer.executable("PgBouncerIT") != null;
    }

    /** The pool mode of the PgBouncer started last. */
    public static String poolMode() {
        return poolMode;
    }

    /** The system properties of a second instance of the application on the same PgBouncer, in the same mode, without a listen URL. */
    public static List<String> secondInstanceOptions() {
        return List.of("-Dquarkus.datasource.jdbc.url=" + pooledUrl, "-Dquarkus.datasource.username=postgres",
                "-Dquarkus.datasource.password=postgres", "-Dcustomer-sessions.database.pooler=" + poolMode,
                "-Dcustomer-sessions.database.lock-timeout=" + LOCK_TIMEOUT);
    }

    /** A connection to PostgreSQL itself (user postgres), behind PgBouncer's back. */
    public static Connection direct() throws SQLException {
        return DriverManager.getConnection(directUrl, "postgres", "postgres");
    }

    /** A connection through PgBouncer, as the application's are. */
    public static Connection pooled() throws SQLException {
        return DriverManager.getConnection(pooledUrl + "?prepareThreshold=0", "postgres", "postgres");
    }

    /**
     * The server sessions PostgreSQL has for the database apart from the caller's and the cache listener's: PgBouncer's.
     * (PgBouncer's admin console would say it too, but the JDBC driver cannot talk to it.)
     */
    public static int serverSessions() throws SQLException {
        try (Connection direct = direct(); Statement statement = direct.createStatement(); ResultSet row = statement.executeQuery(
                "select count(*) from pg_stat_activity where datname = 'postgres' and backend_type = 'client backend' "
                        + "and pid <> pg_backend_pid() and application_name <> 'customer-sessions cache invalidations'")) {
            row.next();
            return row.getInt(1);
        }
    }

    @Override
    public void init(Map<String, String> initArgs) {
        mode = initArgs.getOrDefault("pool_mode", mode);
    }

    @Override
    public Map<String, String> start() {
        try {
            postgres = EmbeddedPostgres.builder().setServerConfig("fsync", "off").start();
            pgbouncer = PgBouncer.start("PgBouncerIT", Path.of("target", "pgbouncer-" + mode), postgres.getPort(), mode,
                    mode.equals("transaction") ? SERVER_SESSIONS : SESSION_MODE_SERVER_SESSIONS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        directUrl = postgres.getJdbcUrl("postgres", "postgres");
        pooledUrl = pgbouncer.jdbcUrl();
        poolMode = mode;
        Map<String, String> config = new HashMap<>(PackagedAppDatabase.LARGE_BUCKETS);
        config.put("customer-sessions.management-key", "test-management-key");
        config.put("quarkus.datasource.jdbc.url", pooledUrl);
        config.put("quarkus.datasource.username", "postgres");
        config.put("quarkus.datasource.password", "postgres");
        config.put("customer-sessions.database.pooler", mode);
        config.put("customer-sessions.database.lock-timeout", LOCK_TIMEOUT);
        if (mode.equals("transaction")) {
            config.put("customer-sessions.database.listen-url", directUrl);
        }
        return config;
    }

    @Override
    public void stop() {
        if (pgbouncer != null) {
            pgbouncer.close();
        }
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
