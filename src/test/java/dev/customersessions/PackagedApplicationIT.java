package dev.customersessions;

import static dev.customersessions.support.GraphQLClient.vars;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.customersessions.support.PackagedAppDatabase;
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
        given().port(management).get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
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

    @Test
    void thePackageLeavesTheEmbeddedDatabaseOut() {
        File libraries = new File("target/quarkus-app/lib/main");
        if (libraries.isDirectory()) {
            String[] jars = libraries.list();
            assertTrue(Arrays.stream(jars).noneMatch(jar -> jar.contains("zonky")), Arrays.toString(jars));
        }
    }
}
