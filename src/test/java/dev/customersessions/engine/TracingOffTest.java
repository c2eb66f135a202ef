package dev.customersessions.engine;

import static dev.customersessions.support.GraphQLClient.vars;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import dev.customersessions.support.TestApplication;
import io.agroal.api.AgroalDataSource;
import io.opentelemetry.instrumentation.jdbc.datasource.OpenTelemetryDataSource;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.quarkus.test.junit.QuarkusTest;

/**
 * With the default settings (no OTLP endpoint) tracing costs nothing: the SDK is off (Quarkus then installs no tracer
 * in Vert.x's HTTP server, the service starts no span of its own, no exporter receives one) and the data source is not
 * wrapped for SQL spans.
 */
@QuarkusTest
class TracingOffTest {

    @Inject
    InMemorySpanExporter spans;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void withoutAnOtlpEndpointNothingIsTracedAndTheDataSourceIsNotWrapped() throws InterruptedException {
        spans.reset();
        TestApplication shop = TestApplication.create();
        shop.updateOk("untraced", vars("couponCodes", List.of("A")));
        shop.stored("untraced");

        assertEquals(Boolean.TRUE, ConfigProvider.getConfig().getValue(TracingSwitch.SDK_DISABLED, Boolean.class));
        assertFalse(dataSource instanceof OpenTelemetryDataSource, "the data source is wrapped for SQL spans");
        Thread.sleep(300); // 30 times the tests' export delay (quarkus.otel.bsp.schedule.delay)
        assertEquals(List.of(), spans.getFinishedSpanItems());
    }
}
