package dev.customersessions.devdb;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * One embedded PostgreSQL 17 per JVM, started on first use and stopped when the JVM exits.
 *
 * <p>Dev mode reloads application classes on every change, so the running server's URL is kept in a system
 * property, which outlives the class loader: a reload finds the server already running and reuses it.
 */
final class EmbeddedPostgresServer {

    static final String USER = "postgres";
    private static final String RUNNING_URL = "embedded-postgresql.running-jdbc-url";

    private EmbeddedPostgresServer() {
    }

    /**
     * The JDBC URL of the running embedded server, starting it first if needed.
     *
     * @param dataDirectory where the data is kept between runs, or {@code null} for a throw-away directory
     */
    static String jdbcUrl(String dataDirectory) {
        // EmbeddedPostgres is loaded once per JVM (it is a library, not a reloaded application class), so it
        // serves as the JVM-wide lock.
        synchronized (EmbeddedPostgres.class) {
            String running = System.getProperty(RUNNING_URL);
            if (running != null) {
                return running;
            }
            EmbeddedPostgres postgres = start(dataDirectory);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> close(postgres), "embedded-postgresql-stop"));
            String url = postgres.getJdbcUrl(USER, USER);
            System.setProperty(RUNNING_URL, url);
            System.out.println("Embedded PostgreSQL 17 is running at " + url
                    + (dataDirectory == null ? "" : " (data in " + new File(dataDirectory).getAbsolutePath() + ")"));
            return url;
        }
    }

    private static EmbeddedPostgres start(String dataDirectory) {
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setServerConfig("max_connections", "100")
                    // Statement statistics (pg_stat_statements), which the tests count a request's statements with.
                    .setServerConfig("shared_preload_libraries", "pg_stat_statements")
                    .setServerConfig("fsync", dataDirectory == null ? "off" : "on");
            if (dataDirectory != null) {
                File directory = new File(dataDirectory).getAbsoluteFile();
                directory.mkdirs();
                builder.setDataDirectory(directory).setCleanDataDirectory(false);
            }
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL. Set QUARKUS_DATASOURCE_JDBC_URL, "
                    + "QUARKUS_DATASOURCE_USERNAME and QUARKUS_DATASOURCE_PASSWORD to use another PostgreSQL instead.", e);
        }
    }

    private static void close(EmbeddedPostgres postgres) {
        try {
            postgres.close();
        } catch (IOException e) {
            System.err.println("Could not stop the embedded PostgreSQL: " + e.getMessage());
        }
    }
}
