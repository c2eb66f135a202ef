package dev.customersessions;

import static dev.customersessions.support.GraphQLClient.vars;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import dev.customersessions.support.PackagedAppDatabase;
import dev.customersessions.support.PackagedArtifact;
import dev.customersessions.support.TestApplication;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * Black-box checks of the packaged application (the JAR, or the native binary with -Dnative) in the production
 * profile against a PostgreSQL given by configuration, as operators run it.
 */
@QuarkusIntegrationTest
@WithTestResource(PackagedAppDatabase.class)
class PackagedApplicationIT {

    @Test
    void servesSessionsEndToEnd() {
        TestApplication shop = TestApplication.create();
        Map<String, Object> created = shop.updateOk("order-1", Map.of("couponCodes", List.of("WELCOME"),
                "cartItems", List.of(vars("sku", "A", "quantity", 3, "price", "0.1"))));
        assertEquals(1, created.get("version"));
        Map<String, Object> closed = shop.call("closeCustomerSession", vars("integrationId", "order-1"))
                .getMap("data.closeCustomerSession.customerSession");
        assertEquals("closed", closed.get("state"));
        assertEquals("0.3", closed.get("total").toString());
        assertEquals(closed, shop.stored("order-1"));
    }

    /** Health and metrics on the management interface (port 9000, as the packaged application runs), not on the API's port. */
    @Test
    void healthAndMetricsAreServedOnTheManagementPort() {
        int management = 9000;
        given().port(management).get("/q/health/live").then().statusCode(200);
        given().port(management).get("/q/health/ready").then().statusCode(200).body(containsString("\"name\": \"Database\""));
        given().port(management).get("/q/health/started").then().statusCode(200);
        // A metric of the HTTP server, which the JVM and the native binary both have (JVM memory pools differ),
        // after a request to the API (requests to /q/... are not counted).
        given().contentType("application/json").body(Map.of("query", "{ __typename }")).post("/graphql").then().statusCode(200);
        given().port(management).get("/q/metrics").then().statusCode(200).body(containsString("http_server_requests_seconds_count"));
        given().get("/q/metrics").then().statusCode(404);
        given().get("/q/health/ready").then().statusCode(404);
    }

    /** In production, GraphiQL, introspection and the SDL are off unless switched on by configuration. */
    @Test
    void graphiqlAndIntrospectionAreOffInProduction() {
        given().get("/q/graphql-ui/").then().statusCode(404);
        given().get("/graphql/schema.graphql").then().statusCode(404);
        given().contentType("application/json").body(Map.of("query", "{ __schema { types { name } } }")).post("/graphql")
                .then().statusCode(200).body("errors[0].extensions.code", equalTo("BAD_REQUEST"))
                .body("errors[0].message", containsString("__schema"));
        given().contentType("application/json").body(Map.of("query", "{ __typename }")).post("/graphql")
                .then().statusCode(200).body("data.__typename", equalTo("Query"));
    }

    /**
     * Neither the JAR's libraries nor the native binary hold zonky's embedded PostgreSQL (a native binary names every
     * class it holds). That no class of the application refers to it is checked on the native image's sources
     * ({@code NativeSourcesIT}).
     */
    @Test
    void thePackageLeavesTheEmbeddedDatabaseOut() throws IOException {
        PackagedArtifact artifact = PackagedArtifact.built();
        if (artifact.isNative()) {
            byte[] binary = Files.readAllBytes(artifact.path());
            assertFalse(new String(binary, StandardCharsets.ISO_8859_1).contains("io.zonky"), "the native binary holds io.zonky classes");
        } else {
            try (Stream<Path> libraries = Files.list(artifact.path().resolveSibling("lib").resolve("main"))) {
                List<String> jars = libraries.map(jar -> jar.getFileName().toString()).toList();
                assertTrue(jars.stream().noneMatch(jar -> jar.contains("zonky")), jars.toString());
            }
        }
    }
}
