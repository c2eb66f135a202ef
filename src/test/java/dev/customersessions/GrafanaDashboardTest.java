package dev.customersessions;

import static dev.customersessions.support.GraphQLClient.post;
import static dev.customersessions.support.GraphQLClient.vars;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.customersessions.support.TestApplication;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The Grafana dashboard shows only what the service exports: after some traffic, every metric its queries select is
 * on /q/metrics, with every label the selector names (apart from {@code namespace} and {@code pod}, which Prometheus
 * adds when it scrapes). A renamed or removed metric fails here rather than leaving an empty panel.
 */
@QuarkusTest
class GrafanaDashboardTest {

    static final Path DASHBOARD = Path.of("kubernetes", "components", "prometheus-operator", "grafana-dashboard.json");
    /** A metric selector in PromQL: the dashboard writes every one with braces, {@code name{...}}. */
    private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\{([^}]*)}");
    private static final Pattern MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)");
    private static final Set<String> ADDED_BY_PROMETHEUS = Set.of("namespace", "pod");

    @Test
    void everyMetricOfTheDashboardIsExported() throws IOException, InterruptedException {
        TestApplication shop = TestApplication.create();
        shop.updateOk("dashboard", vars("couponCodes", List.of("A")));
        shop.stored("dashboard");
        post(null, "customerSession", vars("integrationId", "dashboard")); // an error code
        System.gc(); // the GC pause timer exists once a collection has happened and its notification has arrived (later)
        Map<String, Set<String>> scraped = Map.of();
        for (long deadline = System.nanoTime() + 10_000_000_000L; !scraped.containsKey("jvm_gc_pause_seconds_sum")
                && System.nanoTime() < deadline;) {
            scraped = exported(given().port(9001).get("/q/metrics").then().statusCode(200).extract().asString());
            if (!scraped.containsKey("jvm_gc_pause_seconds_sum")) {
                System.gc();
                Thread.sleep(200);
            }
        }
        Map<String, Set<String>> exported = scraped;

        JsonNode dashboard = new ObjectMapper().readTree(Files.readString(DASHBOARD));
        List<String> expressions = new ArrayList<>();
        dashboard.get("panels").forEach(panel -> panel.path("targets").forEach(target -> expressions.add(target.get("expr").asText())));
        assertTrue(expressions.size() >= 15, "queries: " + expressions);
        List<String> problems = new ArrayList<>();
        for (String expression : expressions) {
            Matcher selector = SELECTOR.matcher(expression);
            boolean any = false;
            while (selector.find()) {
                any = true;
                String metric = selector.group(1);
                Set<String> labels = exported.get(metric);
                if (labels == null) {
                    problems.add(metric + " is not exported (" + expression + ")");
                    continue;
                }
                Matcher label = MATCHER.matcher(selector.group(2));
                while (label.find()) {
                    if (!ADDED_BY_PROMETHEUS.contains(label.group(1)) && !labels.contains(label.group(1))) {
                        problems.add(metric + " has no label " + label.group(1) + " (" + expression + ")");
                    }
                }
            }
            if (!any) {
                problems.add("no metric selector name{...} in " + expression);
            }
        }
        assertTrue(problems.isEmpty(), () -> String.join("\n", problems) + "\nexported: " + new java.util.TreeSet<>(exported.keySet()));
        assertFalse(dashboard.path("uid").asText().isEmpty(), "a fixed uid, so that links to the dashboard keep working");
    }

    /** The metric names of a Prometheus scrape, with the label names seen on each. */
    static Map<String, Set<String>> exported(String scrape) {
        Map<String, Set<String>> metrics = new HashMap<>();
        for (String line : scrape.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.indexOf(' ');
            int end = brace >= 0 && brace < space ? brace : space;
            Set<String> labels = metrics.computeIfAbsent(line.substring(0, end), name -> new HashSet<>());
            if (end == brace) {
                Matcher label = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"").matcher(line.substring(brace, line.lastIndexOf('}')));
                while (label.find()) {
                    labels.add(label.group(1));
                }
            }
        }
        return metrics;
    }
}
