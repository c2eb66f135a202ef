package dev.customersessions.common;

import java.io.StringReader;

import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.spi.JsonProvider;

/** JSON objects kept as text in jsonb columns. */
public final class JsonText {

    /**
     * The JSON-P provider, looked up once: {@code Json.createReader} and friends look it up through the service
     * loader on every call, which dominated the cost of serving a cart.
     */
    public static final JsonProvider JSON = JsonProvider.provider();

    private JsonText() {
    }

    public static JsonObject parse(String text) {
        if (text == null || text.isEmpty() || text.equals("{}")) {
            return JsonObject.EMPTY_JSON_OBJECT;
        }
        try (JsonReader reader = JSON.createReader(new StringReader(text))) {
            return reader.readObject();
        }
    }
}
