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
        // A syntax error (answered by the handler itself) and an unknown field (answered by the execution).
        given().contentType("application/json").body("{\"query\":\"{ customerSession(\"}").post("/graphql").then().statusCode(200);
        given().contentType("application/json").body("{\"query\":\"{ noSuchField }\"}").post("/graphql").then().statusCode(200);
        String afterBadRequests = scrape();
        assertEquals(counter(before, "BAD_REQUEST") + 2, counter(afterBadRequests, "BAD_REQUEST"), "a syntax error and an unknown field");
        assertEquals(total(before) + 2, total(afterBadRequests), "nothing else counted");
        // An unknown key: one error, under its code.
        given().contentType("application/json").header("Authorization", "ApiKey-v1 not-a-key")
                .body("{\"query\":\"{ customerSession(integrationId: \\\"x\\\") { id } }\"}").post("/graphql").then().statusCode(200);
        String after = scrape();
        assertEquals(total(afterBadRequests) + 1, total(after), "the refused key's error");
        assertEquals(counter(afterBadRequests, "UNAUTHENTICATED") + 1, counter(after, "UNAUTHENTICATED"), "under its code");
        assertEquals(counter(before, "INTERNAL"), counter(after, "INTERNAL"));
    }

    /** All errors counted, whatever their code. */
    private static double total(String scrape) {
        Matcher value = Pattern.compile("(?m)^customer_sessions_graphql_errors_total\\{[^}]*} (\\S+)$").matcher(scrape);
        double sum = 0;
        while (value.find()) {
            sum += Double.parseDouble(value.group(1));
        }
        return sum;
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
