package dev.customersessions.engine;

import static dev.customersessions.support.GraphQLClient.post;
import static dev.customersessions.support.GraphQLClient.postDocument;
import static dev.customersessions.support.GraphQLClient.vars;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.customersessions.support.TestApplication;
import io.quarkus.test.junit.QuarkusTest;

/**
 * {@code customer_sessions_graphql_requests_seconds} on /q/metrics: each GraphQL request over HTTP counted once under
 * its operation's name and type and its outcome (success, or the code of its first error), with histogram buckets for
 * percentiles; requests refused before an operation was chosen under {@code none}; the names bounded in number.
 */
@QuarkusTest
class RequestMetricsTest {

    private static final String TIMER = "customer_sessions_graphql_requests_seconds";

    @Test
    void eachRequestIsCountedUnderItsOperationTypeAndOutcome() {
        TestApplication shop = TestApplication.create();
        String id = "metered-" + UUID.randomUUID();
        Map<String, Double> before = counts();

        shop.updateOk(id, vars("couponCodes", List.of("A")));
        shop.call("updateCustomerSessionBrief", vars("integrationId", id, "input", Map.of("couponCodes", List.of("B"))));
        for (int i = 0; i < 3; i++) {
            shop.stored(id);
        }
        post(null, "customerSession", vars("integrationId", id)); // no key
        postDocument(shop.authorization(), "{ __typename }", Map.of());
        postDocument(shop.authorization(), "query Broken { noSuchField }", Map.of());
        given().contentType("text/plain").body("{}").post("/graphql").then().statusCode(415);

        Map<String, Double> after = counts();
        assertEquals(3, delta(before, after, "CustomerSession", "query", "success"), after::toString);
        assertEquals(1, delta(before, after, "CustomerSession", "query", ErrorCodes.UNAUTHENTICATED));
        assertEquals(1, delta(before, after, "UpdateCustomerSession", "mutation", "success"));
        assertEquals(1, delta(before, after, "UpdateCustomerSessionBrief", "mutation", "success"));
        assertEquals(1, delta(before, after, RequestObservations.ANONYMOUS, "query", "success"));
        assertEquals(2, delta(before, after, RequestObservations.NONE, RequestObservations.NONE, ErrorCodes.BAD_REQUEST),
                "the validation error and the HTTP refusal");

        assertTrue(scrape().lines().anyMatch(line -> line.startsWith(TIMER + "_bucket{") && line.contains("le=\"0.1\"")
                && line.contains("operation=\"CustomerSession\"") && line.contains("outcome=\"success\"")), "histogram buckets for percentiles");
    }

    @Test
    void operationNamesAreBoundedInNumberAndLength() {
        RequestObservations.OperationNames names = new RequestObservations.OperationNames(3);
        assertEquals(RequestObservations.ANONYMOUS, names.tag(null));
        assertEquals("A", names.tag("A"));
        assertEquals("B", names.tag("B"));
        String longName = "L".repeat(500);
        assertEquals("L".repeat(RequestObservations.MAX_NAME_LENGTH), names.tag(longName));
        assertEquals(RequestObservations.OTHER, names.tag("D"), "a fourth name");
        assertEquals("A", names.tag("A"), "names seen before keep their tag");
        for (int i = 0; i < 1000; i++) {
            assertEquals(RequestObservations.OTHER, names.tag("N" + i));
        }
    }

    private static double delta(Map<String, Double> before, Map<String, Double> after, String operation, String type, String outcome) {
        String key = operation + "/" + type + "/" + outcome;
        return after.getOrDefault(key, 0.0) - before.getOrDefault(key, 0.0);
    }

    /** The timer's counts on /q/metrics, by operation/type/outcome. */
    private static Map<String, Double> counts() {
        Map<String, Double> counts = new java.util.HashMap<>();
        var sample = java.util.regex.Pattern.compile("^" + TIMER + "_count\\{operation=\"([^\"]*)\",outcome=\"([^\"]*)\",type=\"([^\"]*)\"} (\\S+)$",
                java.util.regex.Pattern.MULTILINE).matcher(scrape());
        while (sample.find()) {
            counts.put(sample.group(1) + "/" + sample.group(3) + "/" + sample.group(2), Double.parseDouble(sample.group(4)));
        }
        return counts;
    }

    static String scrape() {
        return given().port(9001).get("/q/metrics").then().statusCode(200).extract().asString();
    }
}
