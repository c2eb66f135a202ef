package dev.customersessions.devdb;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

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
    private static final String FAILED_START = "embedded-postgresql.failed-start";

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
            String failed = System.getProperty(FAILED_START);
            if (failed != null) {
                // A start that failed in the library may leave the data directory locked by this JVM: another try
                // here would only fail on that lock and hide the first cause.
                throw new IllegalStateException(failed + " (Fix that and restart dev mode.)");
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
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setServerConfig("max_connections", "100")
                // Statement statistics (pg_stat_statements), which the tests count a request's statements with.
                .setServerConfig("shared_preload_libraries", "pg_stat_statements")
                // Dev mode keeps its data across runs, crashes included; the tests' throw-away data need not be durable.
                .setServerConfig("fsync", dataDirectory == null ? "off" : "on")
                .setServerConfig("synchronous_commit", dataDirectory == null ? "off" : "on");
        String where = "";
        File log = null;
        if (dataDirectory != null) {
            File directory = new File(dataDirectory).getAbsoluteFile();
            directory.mkdirs();
            // A PostgreSQL that a killed dev mode left running on this directory is stopped first.
            LeftoverPostmaster.stopIfLeftBehind(directory);
            log = new File(directory.getParentFile(), directory.getName() + ".log");
            builder.setDataDirectory(directory).setCleanDataDirectory(false)
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log));
            where = " on " + directory;
        }
        EmbeddedPostgres started;
        try {
            started = builder.start();
        } catch (IOException | RuntimeException e) {
            String message = "Could not start the embedded PostgreSQL" + where + ": " + causes(e)
                    + (log == null ? "" : ". PostgreSQL's own last words, from " + log + ":\n" + lastLines(log, 8));
            System.setProperty(FAILED_START, message);
            throw new IllegalStateException(message, e);
        }
        if (dataDirectory != null) {
            LeftoverPostmaster.recordOwner(new File(dataDirectory).getAbsoluteFile());
        }
        return started;
    }

    private static String lastLines(File file, int count) {
        try {
            List<String> lines = Files.readAllLines(file.toPath());
            return String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    /** The messages of a failure and its causes, outermost first. */
    private static String causes(Throwable failure) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t.getMessage() != null && text.indexOf(t.getMessage()) < 0) {
                text.append(text.length() == 0 ? "" : ": ").append(t.getMessage());
            }
        }
        return text.length() == 0 ? failure.getClass().getName() : text.toString();
    }

    private static void close(EmbeddedPostgres postgres) {
        try {
            postgres.close();
        } catch (IOException e) {
            System.err.println("Could not stop the embedded PostgreSQL: " + e.getMessage());
        }
    }
}
