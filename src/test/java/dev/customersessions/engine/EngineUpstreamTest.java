package dev.customersessions.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.GraphQLError;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;

/**
 * The upstream behaviour the engine's parts rely on that no compiler checks (what an {@code @Override} or a type
 * pins is pinned by the build already): each test names the part in {@code docs/engine.md} it stands for. When an
 * upgrade fails one, read that part's "on upgrade" line. (GraphiQLPageTest pins SmallRye's GraphiQL page.)
 */
class EngineUpstreamTest {

    private static final GraphQL ENGINE = GraphQL.newGraphQL(schema("""
            type Query { echo(input: In): String }
            input In { number: Int, nested: [In] }
            """)).build();

    /** RequestPolicyInstrumentation: graphql-java's refusal of a variable's value is recognised by its message. */
    @Test
    void graphqlJavaNamesABadVariableValueAsRequestPolicyInstrumentationExpects() {
        GraphQLError wrongType = onlyError(Map.of("number", "seven"));
        assertTrue(wrongType.getMessage().startsWith("Variable '"), wrongType.getMessage());
        assertTrue(RequestPolicyInstrumentation.isVariableError(wrongType));

        GraphQLError unknownField = onlyError(Map.of("colour", "red"));
        assertTrue(unknownField.getMessage().startsWith("The variables input"), unknownField.getMessage());
        assertTrue(RequestPolicyInstrumentation.isVariableError(unknownField));
    }

    /** DatabaseSettingsCheck: a class only Quarkus's build has tells the build from the packaged application. */
    @Test
    void theBuildOnlyClassExistsInTheBuild() throws ClassNotFoundException {
        assertNotNull(Class.forName(DatabaseSettingsCheck.BUILD_ONLY_CLASS, false, getClass().getClassLoader()));
    }

    /** The META-INF/services entries name the engine's hooks by these class names. */
    @Test
    void theServiceFilesNameTheEnginesHooks() throws IOException {
        assertEquals(GraphQLEngineSetup.class.getName(), resource("META-INF/services/io.smallrye.graphql.spi.EventingService").trim());
        assertEquals(DatabaseSettingsCheck.class.getName() + "\n" + TracingSwitch.class.getName(),
                resource("META-INF/services/io.smallrye.config.SmallRyeConfigBuilderCustomizer").trim());
    }

    private static GraphQLError onlyError(Map<String, Object> input) {
        ExecutionResult result = ENGINE.execute(ExecutionInput.newExecutionInput("query($v: In) { echo(input: $v) }")
                .variables(Map.of("v", input)).build());
        List<GraphQLError> errors = result.getErrors();
        assertEquals(1, errors.size(), errors::toString);
        return errors.get(0);
    }

    private static GraphQLSchema schema(String sdl) {
        return new SchemaGenerator().makeExecutableSchema(new SchemaParser().parse(sdl), RuntimeWiring.newRuntimeWiring().build());
    }

    private static String resource(String name) throws IOException {
        List<java.net.URL> found = java.util.Collections.list(EngineUpstreamTest.class.getClassLoader().getResources(name));
        assertTrue(!found.isEmpty(), "no " + name);
        // Ours (the application's) when there are several; SmallRye's page is the only one of its name.
        java.net.URL url = found.stream().filter(u -> !u.toString().contains(".jar!")).findFirst().orElse(found.get(0));
        try (InputStream in = url.openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
