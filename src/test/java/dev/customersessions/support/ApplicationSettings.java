package dev.customersessions.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.customersessions.CustomerSessionsConfig;
import dev.customersessions.engine.RequestLimitsConfig;
import io.smallrye.config.ConfigMappings;

/**
 * The settings the application reads when it runs, by environment variable name: those of the Quarkus extensions on
 * its class path (from the configuration model each extension ships, {@code META-INF/quarkus-config-doc}), those
 * of the application's own configuration mappings, and the few Quarkus settings the application's code reads
 * itself at run time. Settings Quarkus fixes when the application is built are kept apart: setting them in a
 * deployment changes nothing.
 */
public final class ApplicationSettings {

    /** A setting: its property name, the phase in which it is read, and its documented default (or null). */
    public record Setting(String property, String phase, String defaultValue) {
        public boolean readAtRunTime() {
            return "RUN_TIME".equals(phase);
        }
    }

    private static final Map<String, Setting> BY_ENVIRONMENT_VARIABLE = load();

    private ApplicationSettings() {
    }

    /** The setting an environment variable sets, or null when the application reads no such variable. */
    public static Setting byEnvironmentVariable(String name) {
        return BY_ENVIRONMENT_VARIABLE.get(name);
    }

    /** The packaged application's src/main/resources/application.properties, as the class path holds it. */
    public static Properties applicationProperties() {
        Properties properties = new Properties();
        try (InputStream in = ApplicationSettings.class.getClassLoader().getResourceAsStream("application.properties");
                Reader reader = new java.io.InputStreamReader(Objects.requireNonNull(in), java.nio.charset.StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    public static String environmentVariableOf(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    private static Map<String, Setting> load() {
        Map<String, Setting> settings = new HashMap<>();
        ObjectMapper json = new ObjectMapper();
        try {
            for (URL model : Collections.list(ApplicationSettings.class.getClassLoader()
                    .getResources("META-INF/quarkus-config-doc/quarkus-config-model.json"))) {
                try (InputStream in = model.openStream()) {
                    collect(json.readTree(in), settings);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (var mapping : List.of(
                ConfigMappings.ConfigClass.configClass(CustomerSessionsConfig.class, "customer-sessions"),
                ConfigMappings.ConfigClass.configClass(RequestLimitsConfig.class, "customer-sessions.limits"))) {
            ConfigMappings.getProperties(mapping).forEach((property, definition) -> settings.put(
                    environmentVariableOf(property), new Setting(property, "RUN_TIME",
                            definition.hasDefaultValue() ? definition.getDefaultValue() : null)));
        }
        return settings;
    }

    /** Every configuration property in an extension's model, however deeply its sections nest. */
    private static void collect(JsonNode node, Map<String, Setting> settings) {
        if (node.isObject()) {
            JsonNode path = node.get("path");
            if (node.path("@class").asText().endsWith(".ConfigProperty") && path != null && path.has("environmentVariable")) {
                JsonNode defaultValue = node.get("defaultValue");
                settings.putIfAbsent(path.get("environmentVariable").asText(), new Setting(path.get("property").asText(),
                        node.path("phase").asText(), defaultValue == null || defaultValue.isNull() ? null : defaultValue.asText()));
            }
            node.forEach(child -> collect(child, settings));
        } else if (node.isArray()) {
            node.forEach(child -> collect(child, settings));
        }
    }
}
