package dev.customersessions.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;

import graphql.ExecutionResult;
import io.smallrye.graphql.execution.ExecutionResponse;

/**
 * The JSON body of a GraphQL response. A successful result ({@code data} and extensions without errors) is written
 * straight from graphql-java's result tree with a streaming generator: SmallRye first copies the tree into JSON-P
 * objects, which for a cart of 10,000 items cost more than executing the query. Everything else (errors are small
 * and formatted by SmallRye's configured error fields) is SmallRye's own rendering.
 */
final class ResponseBodies {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    private ResponseBodies() {
    }

    static byte[] of(ExecutionResponse response) {
        return of(response, Set.of());
    }

    /** The body, with every string value in {@code redacted} written as null (a stored copy leaves secrets out). */
    static byte[] of(ExecutionResponse response, Set<String> redacted) {
        ExecutionResult result = response.getExecutionResult();
        if (!result.getErrors().isEmpty() || !result.isDataPresent()) {
            return response.getExecutionResultAsString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        try (ByteArrayBuilder bytes = new ByteArrayBuilder(8192); JsonGenerator json = JSON.createGenerator(bytes)) {
            json.writeStartObject();
            json.writeFieldName("data");
            write(result.getData(), redacted, json);
            if (result.getExtensions() != null) {
                json.writeFieldName("extensions");
                write(result.getExtensions(), Set.of(), json);
            }
            json.writeEndObject();
            json.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The values of graphql-java's result tree: maps, lists, strings, numbers, booleans and nulls. */
    private static void write(Object value, Set<String> redacted, JsonGenerator json) throws IOException {
        if (value == null) {
            json.writeNull();
        } else if (value instanceof String text) {
            if (redacted.contains(text)) {
                json.writeNull();
            } else {
                json.writeString(text);
            }
        } else if (value instanceof Map<?, ?> object) {
            json.writeStartObject();
            for (Map.Entry<?, ?> entry : object.entrySet()) {
                json.writeFieldName(String.valueOf(entry.getKey()));
                write(entry.getValue(), redacted, json);
            }
            json.writeEndObject();
        } else if (value instanceof Collection<?> list) {
            json.writeStartArray();
            for (Object element : list) {
                write(element, redacted, json);
            }
            json.writeEndArray();
        } else if (value instanceof Boolean bool) {
            json.writeBoolean(bool);
        } else if (value instanceof Integer number) {
            json.writeNumber(number);
        } else if (value instanceof Long number) {
            json.writeNumber(number);
        } else if (value instanceof BigDecimal number) {
            json.writeNumber(number);
        } else if (value instanceof BigInteger number) {
            json.writeNumber(number);
        } else if (value instanceof Number number) {
            json.writeNumber(number.doubleValue());
        } else if (value instanceof Enum<?> constant) {
            json.writeString(constant.name());
        } else {
            json.writeString(value.toString());
        }
    }
}
