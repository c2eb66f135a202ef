package dev.customersessions;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import dev.customersessions.support.PromQL;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The alerts (kubernetes/components/prometheus-operator/prometheus-rule.yaml, docs/alerts.md) read only metrics the
 * service exports, as its scrape shows them, apart from those of kube-state-metrics and Prometheus; and the error
 * counter they rely on counts the errors clients are answered with, by code.
 */
@QuarkusTest
class AlertRulesTest {

    private static final Path RULES = Path.of("kubernetes", "components", "prometheus-operator", "prometheus-rule.yaml");
    /** The management port of the test profile. */
    private static final int MANAGEMENT = 9001;

    @Test
    void everyAlertReadsMetricsTheServiceExports() throws IOException {
        given().contentType("application/json").body("{\"query\":\"{ __typename }\"}").post("/graphql").then().statusCode(200);
        Set<String> exported = seriesNames(scrape());
        JsonNode rule = new ObjectMapper(new YAMLFactory()).readTree(RULES.toFile());
        assertEquals("PrometheusRule", rule.path("kind").asText());
        Set<String> alerts = new TreeSet<>();
        for (JsonNode group : rule.path("spec").path("groups")) {
            for (JsonNode alert : group.path("rules")) {
                String name = alert.path("alert").asText();
                assertTrue(alerts.add(name), "alert names are unique: " + name);
                assertTrue(Set.of("critical", "warning").contains(alert.path("labels").path("severity").asText()), name + ": severity");
                assertFalse(alert.path("annotations").path("summary").asText().isBlank(), name + ": summary");
                assertTrue(alert.path("annotations").path("description").asText().contains("docs/alerts.md"), name + ": points to its section");
                Set<String> metrics = PromQL.metricNames(alert.path("expr").asText());
                assertFalse(metrics.isEmpty(), name + " reads a metric");
                for (String metric : metrics) {
                    assertTrue(metric.startsWith("kube_") || metric.equals("up") || exported.contains(metric),
                            name + " reads " + metric + ", which the service does not export");
                }
            }
        }
        assertTrue(alerts.size() >= 8, "alerts: " + alerts);
    }

    @Test
    void errorsAreCountedByTheirCode() {
        String before = scrape();
        for (String code : List.of("INTERNAL", "BUSY", "BAD_REQUEST", "UNAUTHENTICATED")) {
            assertTrue(counter(before, code) >= 0, code + " is exported before any such error");
        }
        given().contentType("application/json").body("{\"query\":\"{ customerSession(\"}").post("/graphql").then().statusCode(200);
        given().contentType("application/json").header("Authorization", "ApiKey-v1 not-a-key")
                .body("{\"query\":\"{ customerSession(integrationId: \\\"x\\\") { id } }\"}").post("/graphql").then().statusCode(200);
        String after = scrape();
        assertEquals(counter(before, "BAD_REQUEST") + 1, counter(after, "BAD_REQUEST"), "a syntax error");
        assertEquals(counter(before, "UNAUTHENTICATED") + 1, counter(after, "UNAUTHENTICATED"), "an unknown key");
        assertEquals(counter(before, "INTERNAL"), counter(after, "INTERNAL"));
    }

    private static String scrape() {
        return given().port(MANAGEMENT).get("/q/metrics").then().statusCode(200).extract().asString();
    }

    private static Set<String> seriesNames(String scrape) {
        Set<String> names = new TreeSet<>();
        for (String line : scrape.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                names.add(line.split("[{ ]", 2)[0]);
            }
        }
        return names;
    }

    /** The error counter's value for the code, or -1 when it is not exported. */
    private static double counter(String scrape, String code) {
        Matcher value = Pattern.compile("(?m)^customer_sessions_graphql_errors_total\\{code=\"" + code + "\"[^}]*} (\\S+)$").matcher(scrape);
        return value.find() ? Double.parseDouble(value.group(1)) : -1;
    }
}
