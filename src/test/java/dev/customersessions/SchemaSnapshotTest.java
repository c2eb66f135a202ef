package dev.customersessions;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.customersessions.support.GraphQLClient;
import graphql.introspection.IntrospectionResultToSchema;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLNamedType;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLScalarType;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLTypeUtil;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.SchemaPrinter;
import graphql.schema.idl.TypeDefinitionRegistry;
import graphql.schema.idl.UnExecutableSchemaGenerator;

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

    /**
     * Client tooling builds a schema from the committed SDL (graphql-java's parser and schema generator here, as
     * code generators do), and that schema is the one the running service describes by introspection: every
     * scalar declared, every type, field, argument and description the same.
     */
    @Test
    void clientToolingBuildsTheServedSchemaFromTheCommittedFile() throws IOException {
        TypeDefinitionRegistry committed = new SchemaParser().parse(Files.readString(SNAPSHOT, StandardCharsets.UTF_8));
        GraphQLSchema fromFile = UnExecutableSchemaGenerator.makeUnExecutableSchema(committed);

        String introspectionQuery = Files.readString(Path.of("src/test/resources/graphql/introspection.graphql"), StandardCharsets.UTF_8);
        Map<String, Object> introspection = GraphQLClient.postDocument(null, introspectionQuery, null).getMap("data");
        GraphQLSchema fromService = UnExecutableSchemaGenerator.makeUnExecutableSchema(
                new SchemaParser().buildRegistry(new IntrospectionResultToSchema().createSchemaDefinition(introspection)));

        SchemaPrinter printer = new SchemaPrinter(SchemaPrinter.Options.defaultOptions().includeDirectives(false)
                .includeScalarTypes(true).includeSchemaDefinition(false).includeIntrospectionTypes(false));
        assertEquals(printer.print(fromService), printer.print(fromFile));
        for (String scalar : List.of("Decimal", "DateTime")) {
            assertTrue(fromFile.getType(scalar) instanceof GraphQLScalarType, scalar + " is declared");
        }
        assertEquals("ID", ((GraphQLNamedType) GraphQLTypeUtil.unwrapAll(fromFile.getObjectType("CustomerSession").getFieldDefinition("id").getType())).getName());
        for (String connection : List.of("CustomerSessionConnection", "ApplicationConnection", "ApiKeyConnection", "WebhookEndpointConnection",
                "WebhookDeliveryConnection")) {
            assertEquals(List.of("edges", "nodes", "pageInfo"), fromFile.getObjectType(connection).getFieldDefinitions().stream()
                    .map(GraphQLFieldDefinition::getName).sorted().toList(), connection + " has the one connection shape");
            GraphQLObjectType edge = (GraphQLObjectType) GraphQLTypeUtil.unwrapAll(fromFile.getObjectType(connection).getFieldDefinition("edges").getType());
            assertEquals(List.of("cursor", "node"), edge.getFieldDefinitions().stream().map(GraphQLFieldDefinition::getName).sorted().toList());
        }
    }
}
