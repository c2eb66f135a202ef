package dev.customersessions.idempotency;

import static dev.customersessions.idempotency.IdempotencyTest.send;
import static dev.customersessions.support.GraphQLClient.vars;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.customersessions.support.Concurrently;
import dev.customersessions.support.TestApplication;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * A refusal under an Idempotency-Key is kept on the connection of the write that was refused, so that a burst of keyed
 * refusals needs no more connections than the pool of the production configuration (20) has: none answers BUSY.
 */
@QuarkusTest
@TestProfile(KeptRefusalsUnderLoadTest.PoolOfTwenty.class)
class KeptRefusalsUnderLoadTest {

    /** The production pool size (the test profile's is larger). */
    public static class PoolOfTwenty implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.datasource.jdbc.max-size", "20");
        }
    }

    @Test
    void aHundredConcurrentKeyedRefusalsAreAllKeptAndNoneIsBusy() throws Exception {
        TestApplication shop = TestApplication.create();
        shop.updateOk("contended", Map.of("cartItems", List.of(vars("sku", "A", "quantity", 1, "price", "1.00"))));
        Map<String, Object> before = shop.stored("contended");
        int clients = 100;
        List<String> keys = java.util.stream.IntStream.range(0, clients).mapToObj(i -> UUID.randomUUID().toString()).toList();
        Map<String, ?> refused = vars("integrationId", "contended", "expectedVersion", 5, "input", Map.of("couponCodes", List.of("LATE")));
        Map<String, Integer> answers = new TreeMap<>();
        for (Response response : Concurrently.call(clients, client -> send(shop.authorization(), keys.get(client), "updateCustomerSession", refused))) {
            String code = response.jsonPath().getString("data.updateCustomerSession.userErrors[0].code");
            answers.merge(response.statusCode() + " " + (code != null ? code : response.jsonPath().getString("errors[0].extensions.code")), 1, Integer::sum);
        }
        assertEquals(Map.of("200 VERSION_CONFLICT", clients), answers);
        assertEquals(before, shop.stored("contended"));
        for (Response again : Concurrently.call(10, client -> send(shop.authorization(), keys.get(client), "updateCustomerSession", refused))) {
            assertEquals("true", again.header("Idempotent-Replayed"), "every refusal was kept");
        }
    }
}
