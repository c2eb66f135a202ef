package dev.customersessions.devdb;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * A stand-in for a dev-mode JVM in {@link LeftoverPostmasterTest}: starts the embedded PostgreSQL on a data
 * directory exactly as dev mode does ({@link EmbeddedPostgresServer#jdbcUrl}), optionally writes a row, prints the
 * URL and the row count, then runs until it is killed (or stopped, when its shutdown hook stops PostgreSQL).
 *
 * <p>Arguments: the data directory, then {@code write}, {@code read}, or {@code twice} (after a failed start, try
 * once more in the same JVM).
 */
public final class DevDatabaseProcess {

    public static void main(String[] args) throws Exception {
        String url;
        try {
            url = EmbeddedPostgresServer.jdbcUrl(args[0]);
        } catch (RuntimeException e) {
            System.out.println("FAILED " + e.getMessage());
            if ("twice".equals(args[1])) {
                // As dev mode does when it restarts the application after a failed start.
                try {
                    EmbeddedPostgresServer.jdbcUrl(args[0]);
                } catch (RuntimeException again) {
                    System.out.println("AGAIN " + again.getMessage());
                }
            }
            System.out.flush();
            System.exit(3);
            return;
        }
        try (Connection connection = DriverManager.getConnection(url, EmbeddedPostgresServer.USER, EmbeddedPostgresServer.USER);
                Statement statement = connection.createStatement()) {
            statement.execute("create table if not exists survivor (note text)");
            if ("write".equals(args[1])) {
                statement.execute("insert into survivor values ('written before the kill')");
            }
            try (ResultSet rows = statement.executeQuery("select count(*) from survivor")) {
                rows.next();
                System.out.println("URL " + url);
                System.out.println("ROWS " + rows.getLong(1));
            }
        }
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
