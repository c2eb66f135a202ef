package dev.customersessions.engine;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.customersessions.support.TestApplication;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/**
 * GraphQL over HTTP, as the specification asks: media types, status codes, and errors with our codes and, for
 * syntax errors, their line and column. (The graphql-http audit suite checks the same against the packaged
 * application: GraphQLOverHttpAuditIT.)
 */
@QuarkusTest
class GraphQLOverHttpTest {

    private static final String GRAPHQL_RESPONSE = "application/graphql-response+json";

    private static ValidatableResponse post(String accept, String body) {
        var request = given().contentType("application/json").body(body);
        if (accept != null) {
            request.header("Accept", accept);
        }
        return request.post("/graphql").then();
    }

    @Test
    void answersApplicationJsonByDefault() {
        for (String accept : new String[] { null, "*/*", "application/json", "application/*" }) {
            post(accept, "{\"query\": \"{ __typename }\"}").statusCode(200)
                    .contentType(startsWith("application/json")).body("data.__typename", equalTo("Query"));
        }
        post(GRAPHQL_RESPONSE, "{\"query\": \"{ __typename }\"}").statusCode(200)
                .contentType(startsWith(GRAPHQL_RESPONSE)).body("data.__typename", equalTo("Query"));
        post("application/graphql-response+json;q=0.5, application/json", "{\"query\": \"{ __typename }\"}")
                .contentType(startsWith("application/json"));
    }

    @Test
    void refusesWhatItCannotAnswer() {
        post("text/html", "{\"query\": \"{ __typename }\"}").statusCode(406).body("errors[0].extensions.code", equalTo("BAD_REQUEST"));
        given().body("{\"query\": \"{ __typename }\"}").post("/graphql").then().statusCode(415)
                .body("errors[0].extensions.code", equalTo("BAD_REQUEST"));
        given().get("/graphql?query=%7B__typename%7D").then().statusCode(405).header("Allow", "POST")
                .contentType(containsString("application/json")).body("errors[0].extensions.code", equalTo("BAD_REQUEST"))
                .body("errors[0].message", containsString("POST"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "", "{\"query\":", "[]", "\"query\"", "{\"variables\": {}}", "{\"query\": 1}",
            "{\"query\": \"{ __typename }\", \"variables\": []}", "{\"query\": \"{ __typename }\", \"operationName\": 5}",
            "{\"query\": \"{ __typename }\", \"extensions\": \"x\"}" })
    void malformedRequestsAre400WithEitherMediaType(String body) {
        checkMalformed(body);
    }

    /** What the JSON parser refuses beyond syntax: numbers of more than 1100 digits, nesting deeper than 1000. */
    @Test
    void overLongNumbersAndDeepNestingAre400() {
        checkMalformed("{\"query\": \"{ __typename }\", \"variables\": {\"x\": 1" + "0".repeat(1200) + "}}");
        checkMalformed("{\"query\": \"{ __typename }\", \"variables\": {\"x\": " + "[".repeat(2000) + "]".repeat(2000) + "}}");
    }

    private static void checkMalformed(String body) {
        for (String accept : new String[] { "application/json", GRAPHQL_RESPONSE }) {
            post(accept, body).statusCode(400).contentType(startsWith(accept))
                    .body("errors[0].extensions.code", equalTo("BAD_REQUEST")).body("$", not(hasKey("data")));
        }
    }

    /** Syntax error: line and column, BAD_REQUEST; 400 with graphql-response+json, 200 with application/json. */
    @Test
    void syntaxErrorsNameTheirLineAndColumn() {
        String body = "{\"query\": \"{\\n  customerSession(integrationId: \\\"x\\\") {\\n    id\\n\"}";
        post(GRAPHQL_RESPONSE, body).statusCode(400)
                .body("errors[0].extensions.code", equalTo("BAD_REQUEST"))
                .body("errors[0].locations[0].line", equalTo(4)).body("errors[0].locations[0].column", equalTo(1))
                .body("errors[0].message", startsWith("Syntax error")).body("$", not(hasKey("data")));
        post("application/json", body).statusCode(200).body("errors[0].locations[0].line", equalTo(4));
    }

    /** Validation and variable failures: the request never ran, so 400 with graphql-response+json and no data. */
    @Test
    void requestErrorsAre400WithGraphqlResponseJson() {
        post(GRAPHQL_RESPONSE, "{\"query\": \"{ nope }\"}").statusCode(400).body("errors[0].extensions.code", equalTo("BAD_REQUEST"))
                .body("$", not(hasKey("data")));
        post(GRAPHQL_RESPONSE, "{\"query\": \"query($n: Int) { customerSessions(first: $n) { nodes { id } } }\", \"variables\": {\"n\": \"x\"}}")
                .statusCode(400).body("errors[0].extensions.code", equalTo("BAD_REQUEST"));
        post("application/json", "{\"query\": \"{ nope }\"}").statusCode(200).body("errors[0].extensions.code", equalTo("BAD_REQUEST"));
    }

    /** A request that ran is 200 with either media type, also when a field failed (here: no credentials). */
    @Test
    void executedRequestsAre200() {
        post(GRAPHQL_RESPONSE, "{\"query\": \"{ customerSession(integrationId: \\\"x\\\") { id } }\"}").statusCode(200)
                .body("errors[0].extensions.code", equalTo("UNAUTHENTICATED")).body("data.customerSession", nullValue());
        TestApplication shop = TestApplication.create();
        given().contentType("application/json").header("Accept", GRAPHQL_RESPONSE).header("Authorization", shop.authorization())
                .body(Map.of("query", "mutation($v: CustomerSessionInput!) { updateCustomerSession(integrationId: \"h\", input: $v) { customerSession { version } } }",
                        "variables", Map.of("v", Map.of())))
                .post("/graphql").then().statusCode(200).body("data.updateCustomerSession.customerSession.version", equalTo(1));
    }
}
