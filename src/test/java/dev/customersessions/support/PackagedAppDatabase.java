package dev.customersessions.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * For black-box tests of the packaged application, which runs in the production profile and so never starts a
 * database of its own: an embedded PostgreSQL handed to it as an external database, as an operator would hand
 * one over. When QUARKUS_DATASOURCE_JDBC_URL is set, the application gets that database from the environment.
 */
public class PackagedAppDatabase implements QuarkusTestResourceLifecycleManager {

    private EmbeddedPostgres postgres;
    private static volatile String jdbcUrl;

    /** The JDBC URL (user and password postgres) of the embedded database handed over, or null for an external one. */
    public static String jdbcUrl() {
        return jdbcUrl;
    }

    /**
     * The black-box tests send hundreds of requests from one address: rate limits on, as in production, with buckets
     * they do not run dry (the limits at their edge are RateLimitTest's).
     */
    public static final Map<String, String> LARGE_BUCKETS = Map.of(
            "customer-sessions.rate-limits.secret-key.maximum", "1000000",
            "customer-sessions.rate-limits.publishable-key.maximum", "1000000",
            "customer-sessions.rate-limits.client-address.maximum", "1000000");

    /**
     * The black-box tests stop instances that no proxy routes to: without the shutdown delay they stop at once.
     * RollingRestartIT runs the production delay.
     */
    public static final Map<String, String> NO_SHUTDOWN_DELAY = Map.of("quarkus.shutdown.delay", "0S");

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>();
        config.put("customer-sessions.management-key", "test-management-key");
        config.putAll(LARGE_BUCKETS);
        config.putAll(NO_SHUTDOWN_DELAY);
        String external = System.getenv("QUARKUS_DATASOURCE_JDBC_URL");
        if (external == null || external.isBlank()) {
            try {
                postgres = EmbeddedPostgres.builder().setServerConfig("fsync", "off").start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            jdbcUrl = postgres.getJdbcUrl("postgres", "postgres");
            config.put("quarkus.datasource.jdbc.url", jdbcUrl);
            config.put("quarkus.datasource.username", "postgres");
            config.put("quarkus.datasource.password", "postgres");
        }
        return config;
    }

    @Override
    public void stop() {
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
