package dev.customersessions.engine;

import static dev.customersessions.support.GraphQLClient.post;
import static dev.customersessions.support.GraphQLClient.vars;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.customersessions.support.TestApplication;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * With traces on, a GraphQL request is a span named by its operation, child of the HTTP server's span, with its SQL
 * statements as its children; nothing a client sent as a value (variables, the API key, a session token) is in any
 * span of the trace. Traces go to memory ({@code support.InMemorySpans}) instead of an OTLP endpoint.
 */
@QuarkusTest
@TestProfile(TracingTest.TracesOn.class)
class TracingTest {

    public static class TracesOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // No OTLP exporter that would try to reach a collector (the tests' spans are handed over every 10 ms).
            return Map.of(TracingSwitch.SDK_DISABLED, "false", TracingSwitch.SQL_SPANS, "true", "quarkus.otel.exporter.otlp.enabled", "false");
        }
    }

    @Inject
    InMemorySpanExporter spans;

    @Test
    void aQueryIsASpanNamedByItsOperationWithItsSqlStatementsAsChildren() throws InterruptedException {
        TestApplication shop = TestApplication.create();
        String integrationId = "traced-" + UUID.randomUUID();
        String coupon = "COUPON-" + UUID.randomUUID();
        shop.updateOk(integrationId, vars("couponCodes", List.of(coupon)));
        String token = shop.call("issueSessionToken", vars("integrationId", integrationId)).getString("data.issueSessionToken.sessionToken");
        assertNotNull(token);
        spans.reset();

        JsonPath read = shop.call("customerSession", vars("integrationId", integrationId, "sessionToken", token));
        assertEquals(List.of(coupon), read.getList("data.customerSession.couponCodes"), read::prettify);

        SpanData operation = awaitSpan(span -> span.getName().equals("query CustomerSession"));
        assertEquals("query", operation.getAttributes().get(AttributeKey.stringKey("graphql.operation.type")));
        assertEquals("CustomerSession", operation.getAttributes().get(AttributeKey.stringKey("graphql.operation.name")));
        assertEquals(StatusCode.UNSET, operation.getStatus().getStatusCode());
        List<SpanData> trace = spans.getFinishedSpanItems().stream().filter(span -> span.getTraceId().equals(operation.getTraceId())).toList();
        SpanData server = trace.stream().filter(span -> span.getSpanId().equals(operation.getParentSpanId())).findFirst()
                .orElseThrow(() -> new AssertionError("the operation's parent is not in the trace: " + trace));
        assertEquals(SpanKind.SERVER, server.getKind(), server::toString);
        List<SpanData> statements = trace.stream().filter(span -> span.getParentSpanId().equals(operation.getSpanId()))
                .filter(TracingTest::isSql).toList();
        assertFalse(statements.isEmpty(), () -> "no SQL span under the operation: " + trace);

        for (SpanData span : trace) {
            span.getAttributes().forEach((key, value) -> {
                for (String secret : List.of(shop.apiKey, token, integrationId, coupon)) {
                    assertFalse(String.valueOf(value).contains(secret), () -> span.getName() + " " + key + " holds a value the client sent");
                }
            });
        }
    }

    @Test
    void aRefusedOperationIsASpanMarkedWithItsErrorCode() throws InterruptedException {
        spans.reset();
        JsonPath refused = post(null, "customerSession", vars("integrationId", "anyone"));
        assertEquals(ErrorCodes.UNAUTHENTICATED, refused.getString("errors[0].extensions.code"), refused::prettify);

        SpanData operation = awaitSpan(span -> span.getName().equals("query CustomerSession"));
        assertEquals(StatusCode.ERROR, operation.getStatus().getStatusCode());
        assertEquals(ErrorCodes.UNAUTHENTICATED, operation.getAttributes().get(AttributeKey.stringKey("error.type")));
    }

    private static boolean isSql(SpanData span) {
        return span.getKind() == SpanKind.CLIENT && span.getAttributes().asMap().keySet().stream().anyMatch(key -> key.getKey().startsWith("db."));
    }

    private SpanData awaitSpan(Predicate<SpanData> wanted) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            var found = spans.getFinishedSpanItems().stream().filter(wanted).findFirst();
            if (found.isPresent()) {
                Thread.sleep(100); // the rest of the trace, ended just before it, is handed over in the same batch or the next
                return found.get();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no such span among " + spans.getFinishedSpanItems().stream().map(SpanData::getName).toList());
    }
}
