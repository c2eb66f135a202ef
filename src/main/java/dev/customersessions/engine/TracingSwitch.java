package dev.customersessions.engine;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.SmallRyeConfigBuilderCustomizer;

/**
 * Traces are off until an OTLP endpoint is configured ({@value #TRACES_ENDPOINT} or {@value #ENDPOINT}, e.g. the
 * environment variable {@code QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT}): without one, the OpenTelemetry SDK is disabled
 * (no exporter, no span processor, no-op tracer) and the data source is not wrapped for SQL spans at all, so tracing
 * costs nothing. With one, both are on. Both are run-time settings, so the same binary (JVM or native) serves either.
 *
 * <p>A configuration source of low ordinal ({@value #ORDINAL}, below {@code application.properties}): an explicit
 * {@code quarkus.otel.sdk.disabled} or {@code quarkus.datasource.jdbc.telemetry.enabled}, anywhere, still wins.
 * Registered in {@code META-INF/services/io.smallrye.config.SmallRyeConfigBuilderCustomizer}.
 */
public class TracingSwitch implements SmallRyeConfigBuilderCustomizer, ConfigSourceFactory {

    static final String ENDPOINT = "quarkus.otel.exporter.otlp.endpoint";
    static final String TRACES_ENDPOINT = "quarkus.otel.exporter.otlp.traces.endpoint";
    static final String SDK_DISABLED = "quarkus.otel.sdk.disabled";
    static final String SQL_SPANS = "quarkus.datasource.jdbc.telemetry.enabled";
    static final int ORDINAL = 200;

    @Override
    public void configBuilder(SmallRyeConfigBuilder builder) {
        builder.withSources(this);
    }

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        boolean on = configured(context.getValue(TRACES_ENDPOINT)) || configured(context.getValue(ENDPOINT));
        return List.of(new PropertiesConfigSource(Map.of(SDK_DISABLED, String.valueOf(!on), SQL_SPANS, String.valueOf(on)),
                TracingSwitch.class.getSimpleName(), ORDINAL));
    }

    /** Set by the operator: in a source of positive ordinal (not one of the extensions' built-in defaults). */
    private static boolean configured(ConfigValue value) {
        return value != null && value.getValue() != null && !value.getValue().isBlank() && value.getConfigSourceOrdinal() > 0;
    }
}
