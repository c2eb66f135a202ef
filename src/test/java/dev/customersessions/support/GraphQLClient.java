package dev.customersessions.support;

import static io.restassured.RestAssured.given;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.path.json.config.JsonPathConfig.NumberReturnType;

/**
 * Sends GraphQL documents from {@code src/test/resources/graphql} over HTTP with variables, as a client would.
 * A document that uses {@code ...SessionFields} gets that fragment appended.
 */
public final class GraphQLClient {

    public static final String MANAGEMENT = "ManagementKey-v1 test-management-key";

    private GraphQLClient() {
    }

    public static String apiKey(String key) {
        return "ApiKey-v1 " + key;
    }

    public static String document(String name) {
        String document = resource("graphql/" + name + ".graphql");
        if (document.contains("...SessionFields")) {
            document += "\n" + resource("graphql/SessionFields.fragment.graphql");
        }
        return document;
    }

    /** Posts the named document; asserts HTTP 200 and returns the whole response body. */
    public static JsonPath post(String authorization, String documentName, Map<String, ?> variables) {
        return postDocument(authorization, document(documentName), variables);
    }

    /** Posts a document given as text (for documents a test generates); asserts HTTP 200, returns the body. */
    public static JsonPath postDocument(String authorization, String document, Map<String, ?> variables) {
        Map<String, Object> body = new HashMap<>();
        body.put("query", document);
        body.put("variables", variables == null ? Map.of() : variables);
        var request = given().contentType(ContentType.JSON).body(body);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        String response = request.when().post("/graphql").then().statusCode(200).extract().asString();
        // Decimals as BigDecimal: the API's amounts are exact and so are the assertions on them.
        return new JsonPath(response).using(JsonPathConfig.jsonPathConfig().numberReturnType(NumberReturnType.BIG_DECIMAL));
    }

    /** Sends the named document with an Idempotency-Key (null: none); the response as it came, whatever its status. */
    public static Response keyed(String authorization, String key, String documentName, Map<String, ?> variables) {
        var request = given().contentType(ContentType.JSON).header("Authorization", authorization)
                .body(Map.of("query", document(documentName), "variables", variables));
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return request.post("/graphql");
    }

    /** Variables as a map, from alternating names and values (values may be null). */
    public static Map<String, Object> vars(Object... namesAndValues) {
        Map<String, Object> map = new HashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            map.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return map;
    }

    /** Canonical Decimal text: plain notation, no trailing fraction zeros. */
    private static final java.util.regex.Pattern CANONICAL_DECIMAL = java.util.regex.Pattern.compile("-?(0|[1-9]\\d*)(\\.\\d*[1-9])?");

    /**
     * Asserts that an amount served by the API is a JSON string in canonical form ("1.5", never 1.5, "1.50" or
     * "1.5E+1") and equals the expected decimal exactly.
     */
    public static void assertAmount(String expected, Object actual) {
        if (!(actual instanceof String text) || !CANONICAL_DECIMAL.matcher(text).matches()
                || new BigDecimal(text).compareTo(new BigDecimal(expected)) != 0) {
            throw new AssertionError("expected amount \"" + expected + "\" (a canonical decimal string) but got " + actual
                    + (actual == null ? "" : " (" + actual.getClass().getSimpleName() + ")"));
        }
    }

    /** An id served by the API: an ID, which JSON carries as a string of digits. */
    public static long id(Object served) {
        if (!(served instanceof String text) || !text.matches("[1-9]\\d*")) {
            throw new AssertionError("expected an ID (a string of digits) but got " + served);
        }
        return Long.parseLong(text);
    }

    /** The id at the path of a response. */
    public static long id(JsonPath response, String path) {
        return id((Object) response.get(path));
    }

    private static String resource(String path) {
        try (InputStream in = GraphQLClient.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
