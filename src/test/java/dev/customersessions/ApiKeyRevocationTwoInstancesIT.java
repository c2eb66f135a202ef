package dev.customersessions;

import static dev.customersessions.support.GraphQLClient.document;
import static dev.customersessions.support.GraphQLClient.vars;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.customersessions.support.GraphQLClient;
import dev.customersessions.support.PackagedAppDatabase;
import dev.customersessions.support.SecondInstance;
import dev.customersessions.support.TestApplication;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * Two instances of the packaged application on one database, as two replicas, each caching the API keys it has seen:
 * a key revoked through one instance is refused by the other at once (PostgreSQL NOTIFY evicts it there), not after
 * the cache's safety-net expiry; the same for a publishable key, which sits in every shopper's page.
 */
@QuarkusIntegrationTest
@WithTestResource(PackagedAppDatabase.class)
class ApiKeyRevocationTwoInstancesIT {

    @ParameterizedTest
    @ValueSource(strings = {"SECRET", "PUBLISHABLE"})
    void aKeyRevokedThroughOneInstanceIsRefusedByTheOtherAtOnce(String kind) throws Exception {
        TestApplication shop = TestApplication.create();
        JsonPath issued = GraphQLClient.post(GraphQLClient.MANAGEMENT, "createApiKey", vars("applicationId", shop.id,
                "input", Map.of("kind", kind)));
        assertEquals(kind, issued.getString("data.createApiKey.apiKey.kind"));
        String key = issued.getString("data.createApiKey.apiKey.key");
        long keyId = GraphQLClient.id(issued, "data.createApiKey.apiKey.id");
        try (SecondInstance second = SecondInstance.start(8092, 9092)) {
            assertEquals("OK", read(RestAssured.port, key), "accepted by the first instance");
            assertEquals("OK", read(second.port, key), "accepted by the second instance, which caches it now");

            String url = PackagedAppDatabase.jdbcUrl();
            if (url != null) {
                // Revoked behind the service's back (no notification): the second instance still serves from its
                // cache, which shows that the key is cached there. Then active again.
                setRevoked(url, keyId, true);
                assertEquals("OK", read(second.port, key), "served from the second instance's cache");
                setRevoked(url, keyId, false);
            }

            JsonPath revoked = GraphQLClient.post(GraphQLClient.MANAGEMENT, "revokeApiKey", vars("id", keyId));
            assertTrue(revoked.getList("data.revokeApiKey.userErrors").isEmpty(), revoked::prettify);
            assertEquals("UNAUTHENTICATED", read(RestAssured.port, key), "refused by the instance that revoked it, at once");
            long start = System.nanoTime();
            String status = read(second.port, key);
            while (status.equals("OK") && System.nanoTime() - start < 500_000_000L) {
                Thread.sleep(5);
                status = read(second.port, key);
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals("UNAUTHENTICATED", status, "refused by the other instance within 500 ms (the cache's expiry is 10 s)");
            assertTrue(millis < 500, "took " + millis + " ms");
        }
    }

    /** Reads a session with the key on the instance at the port: "OK", or the error code of the answer. */
    static String read(int port, String key) {
        JsonPath answer = given().port(port).contentType(ContentType.JSON).header("Authorization", "ApiKey-v1 " + key)
                .body(Map.of("query", document("customerSession"), "variables", vars("integrationId", "any")))
                .post("/graphql").then().statusCode(200).extract().jsonPath();
        String code = answer.getString("errors[0].extensions.code");
        return code == null ? "OK" : code;
    }

    private static void setRevoked(String url, long keyId, boolean revoked) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "postgres", "postgres");
                PreparedStatement s = c.prepareStatement("update api_key set revoked = " + (revoked ? "now()" : "null") + " where id = ?")) {
            s.setLong(1, keyId);
            assertEquals(1, s.executeUpdate());
        }
    }
}
