package dev.customersessions.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** The benchmarks start the service as the image does: what they read from a Dockerfile. */
class ContainerImageTest {

    @Test
    void theImageOptionsAreReadAsWritten() {
        ContainerImage image = ContainerImage.parse("""
                FROM registry.access.redhat.com/ubi9/openjdk-17-runtime:1.24
                COPY --chown=185 target/quarkus-app/lib/ /deployments/lib/
                # COPY target/quarkus-app/app-cds.jsa /deployments/ would ship the archive
                ENV JAVA_OPTS_APPEND="-XX:+ExitOnOutOfMemoryError -XX:+UseSerialGC \\
                    -Xmx256m -Dquarkus.http.host=0.0.0.0"
                ENV MALLOC_ARENA_MAX=2 LANGUAGE='en_US:en'
                ENV JAVA_APP_JAR /deployments/quarkus-run.jar
                """);
        assertEquals("-XX:+ExitOnOutOfMemoryError -XX:+UseSerialGC -Xmx256m -Dquarkus.http.host=0.0.0.0", image.javaOptions());
        assertEquals(Map.of("MALLOC_ARENA_MAX", "2"), image.processEnvironment());
        assertEquals("/deployments/quarkus-run.jar", image.environment().get("JAVA_APP_JAR"));
        assertFalse(image.shipsArchive(), "a comment ships nothing");
    }

    @Test
    void aCopyOfTheArchiveShipsIt() {
        assertTrue(ContainerImage.parse("COPY --chown=185 target/quarkus-app/app-cds.jsa /deployments/\n").shipsArchive());
    }

    @Test
    void theProjectImageIsReadable() {
        ContainerImage image = ContainerImage.read();
        assertTrue(image.javaOptions().contains("-XX:+ExitOnOutOfMemoryError"), image.javaOptions());
        assertTrue(image.processEnvironment().containsKey("MALLOC_ARENA_MAX"), image.environment().toString());
    }
}
