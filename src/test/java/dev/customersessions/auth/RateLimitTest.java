package dev.customersessions.auth;

import static dev.customersessions.support.GraphQLClient.MANAGEMENT;
import static dev.customersessions.support.GraphQLClient.apiKey;
import static dev.customersessions.support.GraphQLClient.post;
import static dev.customersessions.support.GraphQLClient.vars;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.customersessions.support.GraphQLClient;
import dev.customersessions.support.TestApplication;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * The rate limits at their edge, with small buckets: every answer reports its cost and the bucket's state; past the
 * bucket a request is refused with 429, Retry-After and THROTTLED, and nothing of it runs; after Retry-After it runs.
 */
@QuarkusTest
@TestProfile(RateLimitTest.SmallBuckets.class)
class RateLimitTest {

    public static class SmallBuckets implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("customer-sessions.rate-limits.secret-key.maximum", "40",
                    "customer-sessions.rate-limits.secret-key.restore-rate", "10",
                    "customer-sessions.rate-limits.publishable-key.maximum", "1000",
                    "customer-sessions.rate-limits.client-address.maximum", "30",
                    "customer-sessions.rate-limits.client-address.restore-rate", "1");
        }
    }

    private static Response send(String authorization, String document, Map<String, ?> variables) {
        Map<String, Object> body = new HashMap<>();
        body.put("query", GraphQLClient.document(document));
        body.put("variables", variables);
        var request = given().contentType(ContentType.JSON).body(body);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return request.post("/graphql");
    }

    private static JsonPath json(Response response) {
        return new JsonPath(response.asString());
    }

    @Test
    void aSecretKeyIsServedUpToItsBucketThenRefusedWith429AndRetryAfter() throws InterruptedException {
        TestApplication shop = TestApplication.createBare();
        long lastAvailable = Long.MAX_VALUE;
        Response refused = null;
        int served = 0;
        for (int i = 0; i < 200 && refused == null; i++) {
            Response response = send(shop.authorization(), "applicationId", Map.of());
            JsonPath answer = json(response);
            if (response.statusCode() == 429) {
                refused = response;
                break;
            }
            assertEquals(200, response.statusCode());
            served++;
            assertEquals(2, answer.getInt("extensions.cost.requestedQueryCost"), answer::prettify);
            assertEquals(2, answer.getInt("extensions.cost.actualQueryCost"));
            assertEquals(40, answer.getInt("extensions.cost.throttleStatus.maximumAvailable"));
            assertEquals(10, answer.getInt("extensions.cost.throttleStatus.restoreRate"));
            lastAvailable = answer.getLong("extensions.cost.throttleStatus.currentlyAvailable");
        }
        assertTrue(refused != null, "the bucket ran dry");
        assertTrue(served >= 20, "a full bucket serves 40 / 2 requests at least: " + served);
        assertTrue(lastAvailable < 2 + 1, "refused only when less than its cost was left (and what refilled meanwhile): " + lastAvailable);
        JsonPath answer = json(refused);
        assertEquals("THROTTLED", answer.getString("errors[0].extensions.code"), answer::prettify);
        assertNull(answer.get("data"));
        assertEquals(0, answer.getInt("extensions.cost.actualQueryCost"));
        assertTrue(Integer.parseInt(refused.getHeader("Retry-After")) >= 1);

        // A mutation past the bucket does not run; after Retry-After the next does, and finds no session before it.
        String id = "throttled-" + UUID.randomUUID();
        Response mutation = send(shop.authorization(), "updateCustomerSession",
                vars("integrationId", id, "input", Map.of("couponCodes", List.of("THROTTLED"))));
        assertEquals(429, mutation.statusCode(), mutation.asString());
        assertEquals("THROTTLED", json(mutation).getString("errors[0].extensions.code"));
        assertNull(post(MANAGEMENT, "applications", vars()).get("errors"), "the management key is not limited");
        Thread.sleep(Long.parseLong(mutation.getHeader("Retry-After")) * 1000 + 100);
        mutation = send(shop.authorization(), "updateCustomerSession",
                vars("integrationId", id, "input", Map.of("couponCodes", List.of("A")), "expectedVersion", 0));
        assertEquals(200, mutation.statusCode(), mutation.asString());
        assertEquals(List.of(), json(mutation).getList("data.updateCustomerSession.userErrors"));
    }

    /**
     * A repeat under an Idempotency-Key runs through the same limits as the request (its write finds the kept answer):
     * repeats sent faster than the bucket refills are throttled like any request, and applied nothing meanwhile.
     */
    @Test
    void repeatsUnderAnIdempotencyKeyAreChargedLikeTheRequest() throws InterruptedException {
        TestApplication shop = TestApplication.createBare();
        Thread.sleep(4500); // the bucket full again after the other tests
        String id = "keyed-" + UUID.randomUUID();
        String key = UUID.randomUUID().toString();
        Map<String, Object> body = new HashMap<>();
        body.put("query", GraphQLClient.document("updateCustomerSessionBrief"));
        body.put("variables", vars("integrationId", id, "input", Map.of("couponCodes", List.of("ONCE"))));
        Response first = given().contentType(ContentType.JSON).header("Authorization", shop.authorization())
                .header("Idempotency-Key", key).body(body).post("/graphql");
        assertEquals(200, first.statusCode(), first.asString());
        int cost = json(first).getInt("extensions.cost.requestedQueryCost");
        assertTrue(cost >= 10, "a mutation costs at least 10: " + cost);
        int replayed = 0;
        Response throttled = null;
        for (int i = 0; i < 40 / cost + 3 && throttled == null; i++) {
            Response repeat = given().contentType(ContentType.JSON).header("Authorization", shop.authorization())
                    .header("Idempotency-Key", key).body(body).post("/graphql");
            if (repeat.statusCode() == 429) {
                throttled = repeat;
            } else {
                assertEquals("true", repeat.header("Idempotent-Replayed"), repeat.asString());
                replayed++;
            }
        }
        assertTrue(throttled != null, "repeats are charged: throttled after " + replayed + " replays");
        assertEquals("THROTTLED", json(throttled).getString("errors[0].extensions.code"));
    }

    @Test
    void aListingIsChargedForWhatItReturnsAndOneThatCanNeverFitIsALimit() throws InterruptedException {
        TestApplication shop = TestApplication.createBare();
        Thread.sleep(500); // the bucket full again after the other test
        JsonPath empty = json(send(shop.authorization(), "sessionIds", vars("first", 10)));
        assertEquals(12, empty.getInt("extensions.cost.requestedQueryCost"), empty::prettify);
        assertEquals(2, empty.getInt("extensions.cost.actualQueryCost"), "no node returned, none charged");

        Response tooLarge = send(shop.authorization(), "sessionIds", vars("first", 50));
        assertEquals(200, tooLarge.statusCode());
        assertEquals("LIMIT_EXCEEDED", json(tooLarge).getString("errors[0].extensions.code"));
        assertTrue(json(tooLarge).getString("errors[0].message").contains("costs 52 points"));
    }

    @Test
    void pagesShareTheirAddressesBucketAndKeylessRequestsAreChargedToTheirAddress() {
        TestApplication shop = TestApplication.createBare();
        String one = apiKey(AccessMatrixTest.createKey(shop, Map.of("kind", "PUBLISHABLE")));
        String two = apiKey(AccessMatrixTest.createKey(shop, Map.of("kind", "PUBLISHABLE")));
        int served = 0;
        Response refused = null;
        for (int i = 0; i < 100 && refused == null; i++) {
            Response response = send(i % 2 == 0 ? one : two, "applicationId", Map.of());
            if (response.statusCode() == 429) {
                refused = response;
            } else {
                served++;
                JsonPath answer = json(response);
                assertEquals(30, answer.getInt("extensions.cost.throttleStatus.maximumAvailable"), "the address's bucket is the tighter");
            }
        }
        assertTrue(refused != null && served >= 15 && served <= 20, "two keys, one address of 30 points: " + served);
        Response keyless = send("ApiKey-v1 cs_pk_unknown", "applicationId", Map.of());
        assertEquals(429, keyless.statusCode(), "a wrong key from the same address is charged to it too");
        assertEquals(429, send("ManagementKey-v1 guessing", "applicationId", Map.of()).statusCode(),
                "only the valid management key goes unlimited");
        assertEquals(200, send(shop.authorization(), "applicationId", Map.of()).statusCode(), "a secret key has its own bucket");
        BigDecimal available = new BigDecimal(json(send(shop.authorization(), "applicationId", Map.of()))
                .getString("extensions.cost.throttleStatus.currentlyAvailable"));
        assertTrue(available.intValue() <= 40);
    }
}
