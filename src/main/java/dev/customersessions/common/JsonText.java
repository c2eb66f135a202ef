package dev.customersessions.common;

import java.io.StringReader;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;

/** JSON objects kept as text in jsonb columns. */
public final class JsonText {

    private JsonText() {
    }

    public static JsonObject parse(String text) {
        if (text == null || text.isEmpty()) {
            return JsonObject.EMPTY_JSON_OBJECT;
        }
        try (JsonReader reader = Json.createReader(new StringReader(text))) {
            return reader.readObject();
        }
    }
}
