package dev.customersessions.devdb;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;

/**
 * Supplies the datasource settings of an embedded PostgreSQL in the {@code dev} and {@code test} profiles when
 * no JDBC URL is configured, so that a machine with only a JDK can run the service and its tests.
 *
 * <p>The production profile never gets an embedded database: the packaged application without a JDBC URL stops
 * at start-up with a message that names the settings to make. Setting {@code QUARKUS_DATASOURCE_JDBC_URL} (or
 * {@code quarkus.datasource.jdbc.url} anywhere in the configuration) turns this off, as does
 * {@code embedded-postgresql.enabled=false}.
 */
public class EmbeddedPostgresConfigSourceFactory implements ConfigSourceFactory {

    static final String JDBC_URL = "quarkus.datasource.jdbc.url";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        List<String> profiles = context.getProfiles();
        boolean dev = profiles.contains("dev");
        boolean test = profiles.contains("test");
        if (!dev && !test) {
            if (!isSet(context.getValue(JDBC_URL)) && isPackagedApplication()) {
                throw new IllegalStateException("No database is configured. Set QUARKUS_DATASOURCE_JDBC_URL "
                        + "(e.g. jdbc:postgresql://db:5432/customer_sessions), QUARKUS_DATASOURCE_USERNAME and "
                        + "QUARKUS_DATASOURCE_PASSWORD.");
            }
            return List.of();
        }
        if (isSet(context.getValue(JDBC_URL)) || "false".equalsIgnoreCase(valueOf(context.getValue("embedded-postgresql.enabled")))) {
            return List.of();
        }
        String dataDirectory = dev ? valueOrDefault(context.getValue("embedded-postgresql.data-directory"), "target/dev-postgres") : null;
        String jdbcUrl = EmbeddedPostgresServer.jdbcUrl(dataDirectory);
        return List.of(new PropertiesConfigSource(Map.of(
                JDBC_URL, jdbcUrl,
                "quarkus.datasource.username", EmbeddedPostgresServer.USER,
                "quarkus.datasource.password", EmbeddedPostgresServer.USER), "embedded-postgresql", 150));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(150);
    }

    /**
     * Whether this runs in the packaged application rather than in the build that makes it: the build has
     * Quarkus's deployment classes, the package never does. The build may lack a database URL; the package may not.
     */
    private static boolean isPackagedApplication() {
        try {
            Class.forName("io.quarkus.deployment.QuarkusAugmentor", false, EmbeddedPostgresConfigSourceFactory.class.getClassLoader());
            return false;
        } catch (ClassNotFoundException e) {
            return true;
        }
    }

    private static boolean isSet(ConfigValue value) {
        String v = valueOf(value);
        return v != null && !v.isBlank();
    }

    private static String valueOf(ConfigValue value) {
        return value == null ? null : value.getValue();
    }

    private static String valueOrDefault(ConfigValue value, String fallback) {
        String v = valueOf(value);
        return v == null || v.isBlank() ? fallback : v;
    }
}
