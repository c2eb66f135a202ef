package dev.customersessions.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.json.Json;
import jakarta.json.JsonValue;

import org.junit.jupiter.api.Test;

import graphql.ExecutionResultImpl;
import io.smallrye.graphql.execution.ExecutionResponse;

/**
 * The fast JSON writer of successful answers against SmallRye's own rendering of the same result: the same JSON, with
 * data alone and with data and extensions (every answer that ran carries extensions.cost).
 */
class ResponseBodiesTest {

    private static Map<String, Object> data() {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("sku", "SHOE \"red\" \\ 42 – ü \u0001");
        item.put("quantity", 2);
        item.put("price", "59.95");
        item.put("product", null);
        item.put("returned", false);
        item.put("id", 9_000_000_000L);
        Map<String, Object> session = new LinkedHashMap<>();
        session.put("integrationId", "cs_s_abc");
        session.put("cartItems", new ArrayList<>(List.of(item, Map.of("sku", "SOCKS"))));
        session.put("couponCodes", List.of());
        session.put("sessionToken", "cs_st_secret");
        return Map.of("startCustomerSession", session);
    }

    private static Map<Object, Object> extensions() {
        Map<String, Object> throttle = new LinkedHashMap<>();
        throttle.put("maximumAvailable", 1000);
        throttle.put("currentlyAvailable", 986L);
        throttle.put("restoreRate", 100);
        Map<String, Object> cost = new LinkedHashMap<>();
        cost.put("requestedQueryCost", 14L);
        cost.put("actualQueryCost", 14L);
        cost.put("throttleStatus", throttle);
        Map<Object, Object> extensions = new LinkedHashMap<>();
        extensions.put("cost", cost);
        return extensions;
    }

    private static JsonValue json(byte[] body) {
        return Json.createReader(new StringReader(new String(body, StandardCharsets.UTF_8))).readValue();
    }

    private static JsonValue json(String body) {
        return Json.createReader(new StringReader(body)).readValue();
    }

    @Test
    void dataAloneIsWrittenAsSmallRyeWritesIt() {
        ExecutionResponse response = new ExecutionResponse(ExecutionResultImpl.newExecutionResult().data(data()).build());
        assertEquals(json(response.getExecutionResultAsString()), json(ResponseBodies.of(response)));
    }

    @Test
    void dataWithExtensionsIsWrittenAsSmallRyeWritesIt() {
        ExecutionResponse response = new ExecutionResponse(ExecutionResultImpl.newExecutionResult().data(data()).extensions(extensions()).build());
        assertEquals(json(response.getExecutionResultAsString()), json(ResponseBodies.of(response)));
    }

    @Test
    void aRedactedSecretIsWrittenAsNullAndNothingElseChanges() {
        ExecutionResponse response = new ExecutionResponse(ExecutionResultImpl.newExecutionResult().data(data()).extensions(extensions()).build());
        String expected = response.getExecutionResultAsString().replace("\"cs_st_secret\"", "null");
        assertEquals(json(expected), json(ResponseBodies.of(response, Set.of("cs_st_secret"))));
    }
}
