package dev.customersessions;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsStringIgnoringCase;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/** Browser storefronts on a configured origin may call the API; other origins may not. */
@QuarkusTest
class CorsTest {

    private static final String SHOP = "https://shop.example.com"; // quarkus.http.cors.origins in the test profile

    @Test
    void aConfiguredOriginPassesThePreflight() {
        given().header("Origin", SHOP).header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type")
                .when().options("/graphql")
                .then().statusCode(200)
                .header("Access-Control-Allow-Origin", equalTo(SHOP))
                .header("Access-Control-Allow-Headers", containsStringIgnoringCase("authorization"));
    }

    @Test
    void anotherOriginIsNotAllowed() {
        given().header("Origin", "https://evil.example.org").header("Access-Control-Request-Method", "POST")
                .when().options("/graphql")
                .then().header("Access-Control-Allow-Origin", not(equalTo("https://evil.example.org")));
        given().header("Origin", "https://evil.example.org").contentType("application/json")
                .body("{\"query\":\"{ application { id } }\"}")
                .when().post("/graphql")
                .then().statusCode(403).header("Access-Control-Allow-Origin", nullValue());
    }

    @Test
    void sameOriginPagesSuchAsGraphiqlPass() {
        String self = "http://localhost:" + RestAssured.port;
        given().header("Origin", self).contentType("application/json").body("{\"query\":\"{ __typename }\"}")
                .when().post("/graphql")
                .then().statusCode(200).body("data.__typename", equalTo("Query"));
    }
}
