package dev.customersessions;

import static dev.customersessions.support.GraphQLClient.document;
import static dev.customersessions.support.GraphQLClient.vars;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.customersessions.support.Concurrently;
import dev.customersessions.support.PackagedAppDatabase;
import dev.customersessions.support.SecondInstance;
import dev.customersessions.support.TestApplication;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Two instances of the packaged application on one database, as two replicas: requests with one Idempotency-Key sent
 * to both at the same moment apply once, and every client gets the same answer.
 */
@QuarkusIntegrationTest
@WithTestResource(PackagedAppDatabase.class)
class IdempotencyTwoInstancesIT {

    @Test
    void oneKeyAppliesOnceAcrossInstances() throws Exception {
        TestApplication shop = TestApplication.create();
        shop.updateOk("order", Map.of("state", "closed", "cartItems", List.of(vars("sku", "A", "quantity", 10, "price", "2.5"))));
        try (SecondInstance second = SecondInstance.start(8091, 9091)) {
            int[] ports = { RestAssured.port, second.port };
            for (int round = 0; round < 5; round++) {
                String key = UUID.randomUUID().toString();
                List<Response> answers = Concurrently.call(8, client -> given().port(ports[client % 2]).contentType(ContentType.JSON)
                        .header("Authorization", shop.authorization()).header("Idempotency-Key", key)
                        .body(Map.of("query", document("returnCartItems"),
                                "variables", vars("integrationId", "order", "items", List.of(vars("position", 0, "quantity", 1)))))
                        .post("/graphql"));
                Set<String> bodies = new HashSet<>();
                for (Response response : answers) {
                    assertEquals(200, response.statusCode(), response::asString);
                    bodies.add(response.asString());
                }
                assertEquals(1, bodies.size(), "every client, on either instance, got the one answer");
                Map<String, Object> stored = shop.stored("order");
                List<Map<String, Object>> items = (List<Map<String, Object>>) stored.get("cartItems");
                assertEquals(round + 1, items.get(0).get("returnedQuantity"), "each key applied once");
                assertEquals(round + 1, ((List<?>) stored.get("returns")).size());
            }
        }
    }
}
