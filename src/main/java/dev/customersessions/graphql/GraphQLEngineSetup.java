package dev.customersessions.graphql;

import org.eclipse.microprofile.config.ConfigProvider;

import graphql.GraphQL;
import graphql.execution.instrumentation.ChainedInstrumentation;
import graphql.execution.instrumentation.Instrumentation;
import graphql.execution.preparsed.PreparsedDocumentProvider;
import graphql.parser.ParserOptions;
import graphql.schema.GraphQLSchema;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.graphql.spi.EventingService;

import dev.customersessions.CustomerSessionsConfig;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Adds the service's rules to SmallRye GraphQL: the scalars clients see ({@link StrictScalars}) when the schema is
 * built, and, when the engine is built (on the first request), cost limits and our error codes
 * ({@link RequestPolicyInstrumentation}), parser limits and a bounded document cache. Registered through
 * {@code META-INF/services}; a null config key means always on.
 */
public class GraphQLEngineSetup implements EventingService {

    /** Nesting of the parser's grammar rules (lists in lists, objects in objects), far above any real document. */
    private static final int MAX_RULE_DEPTH = 200;

    @Override
    public String getConfigKey() {
        return null;
    }

    /**
     * The schema's scalars ({@link StrictScalars}). Applied before SmallRye builds the one schema that is served
     * as SDL, answers introspection and executes, so the three agree.
     */
    @Override
    public GraphQLSchema.Builder beforeSchemaBuild(GraphQLSchema.Builder builder) {
        return GraphQLSchema.newSchema(StrictScalars.apply(builder.build()));
    }

    @Override
    public GraphQL.Builder beforeGraphQLBuild(GraphQL.Builder builder) {
        SmallRyeConfig config = ConfigProvider.getConfig().unwrap(SmallRyeConfig.class);
        RequestLimitsConfig limits = config.getConfigMapping(RequestLimitsConfig.class);
        CustomerSessionsConfig service = config.getConfigMapping(CustomerSessionsConfig.class);
        applyParserLimits(limits);
        // SmallRye's builder holds its own instrumentations (query cache, tracing); ours goes last, after them.
        GraphQL engine = builder.build();
        Instrumentation policy = new RequestPolicyInstrumentation(limits, service.defaultPageSize(), service.maxPageSize());
        return builder.instrumentation(new ChainedInstrumentation(List.of(engine.getInstrumentation(), policy)))
                .preparsedDocumentProvider(smallDocumentsCached(engine.getPreparsedDocumentProvider(), limits.cachedDocumentCharacters()));
    }

    /**
     * SmallRye's cache of parsed and validated documents keeps 2048 of them, keyed by their text, whoever sent them:
     * only documents up to {@code maxCharacters} go into it, so that it cannot fill the memory.
     */
    static PreparsedDocumentProvider smallDocumentsCached(PreparsedDocumentProvider cache, int maxCharacters) {
        return (input, parseAndValidate) -> input.getQuery().length() <= maxCharacters
                ? cache.getDocumentAsync(input, parseAndValidate)
                : CompletableFuture.completedFuture(parseAndValidate.apply(input));
    }

    /**
     * Parser limits for every GraphQL document: they apply while the document is read, before anything else
     * (SmallRye parses a request's document before the engine sees it, so they are process-wide defaults).
     */
    static void applyParserLimits(RequestLimitsConfig limits) {
        ParserOptions.setDefaultOperationParserOptions(limited(ParserOptions.getDefaultOperationParserOptions(), limits));
        ParserOptions.setDefaultParserOptions(limited(ParserOptions.getDefaultParserOptions(), limits));
    }

    private static ParserOptions limited(ParserOptions options, RequestLimitsConfig limits) {
        return options.transform(o -> o.maxCharacters(limits.documentCharacters()).maxTokens(limits.documentTokens())
                .maxWhitespaceTokens(limits.documentCharacters()).maxRuleDepth(MAX_RULE_DEPTH));
    }
}
