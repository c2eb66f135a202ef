package dev.customersessions;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.customersessions.support.PackagedArtifact;

/**
 * The packaged application (the JAR, or the native binary under -Dnative) never starts an embedded database:
 * without the settings it needs it stops at start-up, naming them; with JSON logs switched on, it says so in JSON.
 */
class ProductionStartupIT {

    private static Result start(Map<String, String> environment) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(PackagedArtifact.built().command(List.of("-Dquarkus.http.port=0")))
                .redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("QUARKUS_") || name.startsWith("CUSTOMER_SESSIONS_"));
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the application should stop by itself");
        return new Result(process.exitValue(), output);
    }

    static Stream<Arguments> missingSettings() {
        return Stream.of(
                Arguments.of(Map.of("CUSTOMER_SESSIONS_MANAGEMENT_KEY", "some-key"),
                        "No database is configured. Set QUARKUS_DATASOURCE_JDBC_URL"),
                Arguments.of(Map.of("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://localhost:1/none"),
                        "customer-sessions.management-key is required"));
    }

    @ParameterizedTest
    @MethodSource("missingSettings")
    void withoutASettingItStopsNamingIt(Map<String, String> environment, String message) throws Exception {
        Result result = start(environment);
        assertNotEquals(0, result.exitCode);
        assertTrue(result.output.contains(message), result.output);
        assertFalse(result.output.contains("Embedded PostgreSQL"), result.output);
    }

    /** QUARKUS_LOG_CONSOLE_JSON_ENABLED=true: every line the application writes is one JSON object, its failure included. */
    @Test
    void withJsonLogsEveryLineIsAJsonObject() throws Exception {
        Result result = start(Map.of("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "true", "CUSTOMER_SESSIONS_MANAGEMENT_KEY", "some-key",
                "QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://localhost:1/none"));
        assertNotEquals(0, result.exitCode, "no database: the start fails");
        List<String> lines = result.output.lines().filter(line -> !line.isBlank()).toList();
        assertFalse(lines.isEmpty());
        ObjectMapper json = new ObjectMapper();
        boolean failureLogged = false;
        for (String line : lines) {
            JsonNode entry;
            try {
                entry = json.readTree(line);
            } catch (IOException notJson) {
                throw new AssertionError("not a JSON line: " + line + "\n" + result.output, notJson);
            }
            assertTrue(entry.isObject() && entry.hasNonNull("level") && entry.hasNonNull("message") && entry.hasNonNull("timestamp"), line);
            failureLogged |= entry.get("level").asText().equals("ERROR");
        }
        assertTrue(failureLogged, result.output);
    }

    private record Result(int exitCode, String output) {
    }
}
