package dev.customersessions.engine;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/**
 * {@link GraphiQLPage} relies on SmallRye's GraphiQL page loading its start-up script as {@code render.js} beside the
 * page: the page still does, and what it loads is ours.
 */
@QuarkusTest
class GraphiQLPageTest {

    @Test
    void smallRyesGraphiqlPageLoadsOurStartUpScript() throws Exception {
        String page = given().get("/q/graphql-ui/").then().statusCode(200).extract().asString();
        assertTrue(page.contains("src=\"render.js\""), "SmallRye's GraphiQL page no longer loads render.js: GraphiQLPage replaces nothing");
        String served = given().get("/q/graphql-ui/render.js").then().statusCode(200).extract().asString();
        assertEquals(Files.readString(Path.of("src/main/resources/graphiql/render.js")), served);
    }
}
