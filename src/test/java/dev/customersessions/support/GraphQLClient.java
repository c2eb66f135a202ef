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

    /** Variables as a map, from alternating names and values (values may be null). */
    public static Map<String, Object> vars(Object... namesAndValues) {
        Map<String, Object> map = new HashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            map.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return map;
    }

    /** Asserts that an amount served by the API equals the expected decimal exactly (by value: 1.5 equals 1.50). */
    public static void assertAmount(String expected, Object actual) {
        if (!(actual instanceof Number) || new BigDecimal(actual.toString()).compareTo(new BigDecimal(expected)) != 0) {
            throw new AssertionError("expected amount " + expected + " but got " + actual);
        }
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
