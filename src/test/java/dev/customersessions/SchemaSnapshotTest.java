package dev.customersessions;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/**
 * The served GraphQL schema must equal the committed snapshot {@code schema.graphql}, so that every API change is
 * deliberate and shows in review. After a deliberate change: {@code ./mvnw verify -Dschema.update=true}, then commit
 * the new snapshot.
 */
@QuarkusTest
class SchemaSnapshotTest {

    private static final Path SNAPSHOT = Path.of("schema.graphql");

    @Test
    void servedSchemaMatchesTheCommittedSnapshot() throws IOException {
        String served = given().when().get("/graphql/schema.graphql").then().statusCode(200).extract().asString();
        if (Boolean.getBoolean("schema.update")) {
            Files.writeString(SNAPSHOT, served, StandardCharsets.UTF_8);
        }
        String committed = Files.exists(SNAPSHOT) ? Files.readString(SNAPSHOT, StandardCharsets.UTF_8) : "";
        assertEquals(committed, served, "The GraphQL schema changed. If that is deliberate, run "
                + "./mvnw verify -Dschema.update=true and commit schema.graphql.");
    }
}
