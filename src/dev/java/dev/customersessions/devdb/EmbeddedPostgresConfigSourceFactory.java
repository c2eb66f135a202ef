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
 * no JDBC URL is configured, so that a machine with only a JDK can run the service and its tests. Setting
 * {@code QUARKUS_DATASOURCE_JDBC_URL} (or {@code quarkus.datasource.jdbc.url} anywhere in the configuration) turns
 * this off, as does {@code embedded-postgresql.enabled=false}.
 *
 * <p>Dev and test code only, by construction: this package lives in {@code src/dev}, which Maven compiles into the
 * tests, and into the application by every build but a native one ({@code -Dnative}); its
 * {@code META-INF/services} entry comes with it. The native image has neither this class nor zonky's
 * {@code EmbeddedPostgres}, and nothing in it refers to them; a JVM package has this class, inert outside the dev and
 * test profiles, and not zonky's library. Without a JDBC URL the packaged
 * application stops at start-up ({@code dev.customersessions.engine.DatabaseSettingsCheck}).
 */
public class EmbeddedPostgresConfigSourceFactory implements ConfigSourceFactory {

    static final String JDBC_URL = "quarkus.datasource.jdbc.url";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        List<String> profiles = context.getProfiles();
        boolean dev = profiles.contains("dev");
        boolean test = profiles.contains("test");
        if (!dev && !test) {
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
