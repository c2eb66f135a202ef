package dev.customersessions.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/** Traces are on exactly when an OTLP endpoint is configured, unless the SDK's own switch says otherwise. */
class TracingSwitchTest {

    @Test
    void offWithoutAnEndpoint() {
        SmallRyeConfig config = config(Map.of());
        assertEquals("true", config.getRawValue(TracingSwitch.SDK_DISABLED));
        assertEquals("false", config.getRawValue(TracingSwitch.SQL_SPANS));
    }

    @Test
    void onWithAnEndpointForAllSignalsOrForTraces() {
        for (String endpoint : new String[] { TracingSwitch.ENDPOINT, TracingSwitch.TRACES_ENDPOINT }) {
            SmallRyeConfig config = config(Map.of(endpoint, "http://collector:4317"));
            assertEquals("false", config.getRawValue(TracingSwitch.SDK_DISABLED), endpoint);
            assertEquals("true", config.getRawValue(TracingSwitch.SQL_SPANS), endpoint);
        }
    }

    @Test
    void anExplicitSettingWins() {
        SmallRyeConfig config = config(Map.of(TracingSwitch.ENDPOINT, "http://collector:4317", TracingSwitch.SQL_SPANS, "false"));
        assertEquals("false", config.getRawValue(TracingSwitch.SDK_DISABLED));
        assertEquals("false", config.getRawValue(TracingSwitch.SQL_SPANS));
    }

    /** The switch with the given settings, as environment variables would give them. */
    private static SmallRyeConfig config(Map<String, String> environment) {
        SmallRyeConfigBuilder builder = new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(environment, "environment", 300));
        new TracingSwitch().configBuilder(builder);
        return builder.build();
    }
}
