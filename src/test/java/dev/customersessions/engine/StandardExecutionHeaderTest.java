package dev.customersessions.engine;

import static dev.customersessions.support.GraphQLClient.vars;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.customersessions.support.GraphQLClient;
import dev.customersessions.support.TestApplication;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.smallrye.config.WithDefault;

/**
 * Where {@code customer-sessions.engine.standard-execution-header} is off, as in production, the header
 * {@code X-Standard-Execution: true} changes nothing: reads and updates sent with it run through the fast paths
 * ({@link ExecutionPath#stoodAside()} does not move). And only the test profile turns the setting on.
 */
@QuarkusTest
@TestProfile(StandardExecutionHeaderTest.AsInProduction.class)
class StandardExecutionHeaderTest {

    static final String KEY = "customer-sessions.engine.standard-execution-header";

    public static class AsInProduction implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(KEY, "false");
        }
    }

    @Test
    void withTheSettingOffTheHeaderIsIgnored() {
        TestApplication shop = TestApplication.create();
        List<Map<String, Object>> items = List.of(
                vars("sku", "A", "quantity", 2, "price", "1.5", "attributes", List.of(Map.of("name", "color", "stringValue", "red")),
                        "additionalCosts", List.of(Map.of("name", "handling", "price", "0.5"))),
                vars("sku", "B", "quantity", 1, "price", "3"));
        long before = ExecutionPath.stoodAside();

        send(shop, "updateCustomerSession", vars("integrationId", "ignored", "input", Map.of("couponCodes", List.of("C"), "cartItems", items)))
                .body("data.updateCustomerSession.customerSession.cartItems", hasSize(2));
        send(shop, "customerSession", vars("integrationId", "ignored")).body("data.customerSession.cartItems", hasSize(2));
        send(shop, "allSessionsWithReturns", vars("first", 5)).body("data.customerSessions.nodes", hasSize(1));

        assertEquals(before, ExecutionPath.stoodAside(), "no fast path stood aside for the header");
    }

    /** Off by default (what the packaged application runs with), on in application.properties' test profile alone. */
    @Test
    void onlyTheTestProfileTurnsTheSettingOn() throws IOException, NoSuchMethodException {
        assertEquals("false", ExecutionPathConfig.class.getMethod("standardExecutionHeader").getAnnotation(WithDefault.class).value());
        List<String> settings = Files.readAllLines(Path.of("src/main/resources/application.properties"), StandardCharsets.UTF_8).stream()
                .filter(line -> line.contains(KEY)).toList();
        assertEquals(List.of("%test." + KEY + "=true"), settings);
    }

    private static io.restassured.response.ValidatableResponse send(TestApplication shop, String document, Map<String, Object> variables) {
        return given().contentType(ContentType.JSON).header("Authorization", shop.authorization())
                .header(StandardExecutionSwitch.HEADER, "true")
                .body(Map.of("query", GraphQLClient.document(document), "variables", variables))
                .post("/graphql").then().statusCode(200).body("errors", nullValue());
    }
}
