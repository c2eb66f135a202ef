package dev.customersessions.engine;

import jakarta.enterprise.inject.literal.NamedLiteral;

import graphql.GraphQL;
import graphql.schema.GraphQLSchema;
import io.quarkus.arc.Arc;
import io.smallrye.graphql.spi.EventingService;

/**
 * The entry SmallRye GraphQL finds through {@code META-INF/services} (a null config key means always on). SmallRye
 * keeps the instances it finds for the life of the process, across dev mode's live reloads, so this one holds
 * nothing: every event goes to {@link GraphQLEngineRules} of the application running now.
 */
public class GraphQLEngineSetup implements EventingService {

    @Override
    public String getConfigKey() {
        return null;
    }

    @Override
    public GraphQLSchema.Builder beforeSchemaBuild(GraphQLSchema.Builder builder) {
        return rules().beforeSchemaBuild(builder);
    }

    @Override
    public GraphQL.Builder beforeGraphQLBuild(GraphQL.Builder builder) {
        return rules().beforeGraphQLBuild(builder);
    }

    /** Typed as the library's interface: the class of the rules changes with every live reload. */
    private static EventingService rules() {
        return Arc.container().instance(EventingService.class, NamedLiteral.of(GraphQLEngineRules.NAME)).get();
    }
}
