package dev.customersessions.engine;

import java.util.List;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.SmallRyeConfigBuilderCustomizer;

/**
 * Stops the application at start-up, naming the settings to make, when no database is configured: in production
 * always, and in dev mode or tests when the embedded PostgreSQL of {@code src/dev} is not on the class path (it
 * is there in tests and dev mode; a native build leaves it out). Registered in
 * {@code META-INF/services/io.smallrye.config.SmallRyeConfigBuilderCustomizer} (the embedded PostgreSQL registers
 * its own {@code ConfigSourceFactory}, a file of that name, in dev mode on the same output directory); it adds no
 * settings of its own.
 *
 * <p>The embedded PostgreSQL is never part of the native image, and its library never part of any package: its code
 * is compiled into the application only by non-native builds (where it acts in the dev and test profiles only), so
 * nothing here refers to it. It says that it is present through the
 * setting {@value #EMBEDDED_ON_CLASS_PATH}, in the {@code META-INF/microprofile-config.properties} it ships.
 */
public class DatabaseSettingsCheck implements SmallRyeConfigBuilderCustomizer, ConfigSourceFactory {

    static final String JDBC_URL = "quarkus.datasource.jdbc.url";
    static final String EMBEDDED_ON_CLASS_PATH = "embedded-postgresql.on-class-path";

    @Override
    public void configBuilder(SmallRyeConfigBuilder builder) {
        builder.withSources(this);
    }

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        if (isSet(context.getValue(JDBC_URL))) {
            return List.of();
        }
        List<String> profiles = context.getProfiles();
        if (profiles.contains("dev") || profiles.contains("test")) {
            if (!isSet(context.getValue(EMBEDDED_ON_CLASS_PATH))) {
                throw new IllegalStateException("No database is configured, and the embedded PostgreSQL is not on the "
                        + "class path (a build with -Dnative leaves it out): run ./mvnw quarkus:dev without -Dnative, or set QUARKUS_DATASOURCE_JDBC_URL.");
            }
        } else if (isPackagedApplication()) {
            throw new IllegalStateException("No database is configured. Set QUARKUS_DATASOURCE_JDBC_URL "
                    + "(e.g. jdbc:postgresql://db:5432/customer_sessions), QUARKUS_DATASOURCE_USERNAME and "
                    + "QUARKUS_DATASOURCE_PASSWORD.");
        }
        return List.of();
    }

    /**
     * Whether this runs in the packaged application rather than in the build that makes it: the build has
     * Quarkus's deployment classes, the package never does. The build may lack a database URL; the package may not.
     */
    /** A class of Quarkus's build only (pinned by EngineUpstreamTest). */
    static final String BUILD_ONLY_CLASS = "io.quarkus.deployment.QuarkusAugmentor";

    private static boolean isPackagedApplication() {
        try {
            Class.forName(BUILD_ONLY_CLASS, false, DatabaseSettingsCheck.class.getClassLoader());
            return false;
        } catch (ClassNotFoundException e) {
            return true;
        }
    }

    private static boolean isSet(ConfigValue value) {
        return value != null && value.getValue() != null && !value.getValue().isBlank();
    }
}
