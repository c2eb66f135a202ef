package dev.customersessions.support;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;

/**
 * The spans the application exports, kept in memory for the tests that read them (Quarkus hands every
 * {@code SpanExporter} bean to the SDK, when the SDK is on). With the default settings the SDK is off and this
 * exporter receives nothing.
 */
@ApplicationScoped
public class InMemorySpans {

    @Produces
    @Singleton
    InMemorySpanExporter exporter() {
        return InMemorySpanExporter.create();
    }
}
