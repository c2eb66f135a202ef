package dev.customersessions.engine;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import graphql.GraphQL;
import graphql.analysis.MaxQueryComplexityInstrumentation;
import graphql.analysis.MaxQueryDepthInstrumentation;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLFieldsContainer;
import graphql.schema.GraphQLInputFieldsContainer;
import graphql.schema.GraphQLInputObjectField;
import graphql.schema.visibility.DefaultGraphqlFieldVisibility;
import graphql.schema.visibility.GraphqlFieldVisibility;
import io.smallrye.graphql.execution.QueryCache;
import io.smallrye.graphql.execution.error.ExceptionHandler;
import graphql.execution.instrumentation.ChainedInstrumentation;
import graphql.execution.instrumentation.Instrumentation;
import graphql.execution.preparsed.PreparsedDocumentProvider;
import graphql.parser.ParserOptions;
import graphql.schema.GraphQLSchema;
import io.quarkus.arc.Unremovable;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.graphql.spi.EventingService;

import dev.customersessions.CustomerSessionsConfig;
import dev.customersessions.auth.Caller;
import dev.customersessions.auth.RateLimiter;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.concurrent.CompletableFuture;

/**
 * The service's rules in SmallRye GraphQL: parser limits from start-up, the scalars clients see
 * ({@link StrictScalars}) when the schema is built, and, when the engine is built (on the first request), cost
 * limits and our error codes ({@link RequestPolicyInstrumentation}) and a bounded document cache. A bean of the running
 * application, reached through {@link GraphQLEngineSetup} on every event, so that dev mode's live reload uses the
 * current classes and configuration.
 */
@ApplicationScoped
@Named(GraphQLEngineRules.NAME)
@Unremovable
public class GraphQLEngineRules implements EventingService {

    static final String NAME = "customer-sessions-graphql-rules";

    /** Nesting of the parser's grammar rules (lists in lists, objects in objects), far above any real document. */
    private static final int MAX_RULE_DEPTH = 200;

    // Looked up when used: the schema is built during static initialization, before runtime configuration exists.
    @Inject
    Instance<RequestLimitsConfig> limits;

    @Inject
    Instance<ExecutionPathConfig> executionPath;

    @Inject
    Instance<CustomerSessionsConfig> service;

    @Inject
    Instance<RateLimiter> rateLimiter;

    @Inject
    Instance<Caller> caller;

    @Inject
    Instance<CurrentVertxRequest> currentRequest;

    /** What the features register: fast paths, paged listings. */
    @Inject
    Instance<EngineRegistration> features;


    @Override
    public String getConfigKey() {
        return null;
    }

    /** The parser limits hold from start-up, for the very first request too. */
    void onStart(@Observes StartupEvent event) {
        applyParserLimits(limits.get());
    }

    /**
     * The schema's scalars ({@link StrictScalars}), and the features' fast paths ({@link EngineRegistration}: plain reads of
     * fields, bound arguments, see {@link LeanFieldFetchers}). Applied before SmallRye builds the one schema that is served
     * as SDL, answers introspection and executes, so the three agree.
     */
    @Override
    public GraphQLSchema.Builder beforeSchemaBuild(GraphQLSchema.Builder builder) {
        List<EngineRegistration> features = this.features.stream().toList();
        return GraphQLSchema.newSchema(LeanFieldFetchers.apply(StrictScalars.apply(builder.build()), LeanFieldFetchers.plainTypes(features),
                features.stream().flatMap(feature -> feature.boundArguments().stream()).toList()));
    }

    @Override
    public GraphQL.Builder beforeGraphQLBuild(GraphQL.Builder builder) {
        RequestLimitsConfig limits = this.limits.get();
        CustomerSessionsConfig service = this.service.get();
        // SmallRye's builder holds its own instrumentations (query cache, tracing); ours goes last, after them.
        GraphQL engine = builder.build();
        RateLimiter rateLimiter = this.rateLimiter.get();
        Caller caller = this.caller.get(); // a proxy: the caller of the request that runs
        CurrentVertxRequest currentRequest = this.currentRequest.get();
        List<EngineRegistration> features = this.features.stream().toList();
        Set<String> pagedListings = features.stream().flatMap(feature -> feature.pagedListings().stream()).collect(Collectors.toSet());
        Instrumentation policy = new RequestPolicyInstrumentation(limits, service.defaultPageSize(), service.maxPageSize(), pagedListings,
                cost -> RequestBudget.charge(cost, caller, rateLimiter, currentRequest));
        List<Instrumentation> smallRye = engine.getInstrumentation() instanceof ChainedInstrumentation chain
                ? chain.getInstrumentations() : List.of(engine.getInstrumentation());
        List<Instrumentation> all = new ArrayList<>(smallRye);
        all.add(new OperationObserver(currentRequest)); // before the policy, which may refuse the operation
        all.add(new StandardExecutionSwitch(executionPath.get().standardExecutionHeader(), currentRequest));
        all.add(policy);
        return builder.schema(withFieldVisibility(engine.getGraphQLSchema(), service.introspection()))
                .queryExecutionStrategy(new LeanListStrategy(new ExceptionHandler(), LeanFieldFetchers.plainTypes(features).keySet(),
                        features.stream().flatMap(feature -> feature.batchedFields().stream()).toList()))
                .instrumentation(smallRye.stream().allMatch(GraphQLEngineRules::isRequestLevel) ? new RequestLevelInstrumentation(all)
                        : new ChainedInstrumentation(all))
                .preparsedDocumentProvider(smallDocumentsCached(engine.getPreparsedDocumentProvider(), limits.cachedDocumentCharacters()));
    }

    /** SmallRye's instrumentations that have no per-field hooks (the others keep the full chain). */
    private static boolean isRequestLevel(Instrumentation instrumentation) {
        return instrumentation instanceof QueryCache || instrumentation instanceof MaxQueryDepthInstrumentation
                || instrumentation instanceof MaxQueryComplexityInstrumentation;
    }

    /**
     * The field visibility, decided from run-time configuration ({@link CustomerSessionsConfig#introspection()}) when
     * the engine is built, on the first request. (SmallRye applies {@code quarkus.smallrye-graphql.field-visibility}
     * when it builds the schema, during static initialisation: in the native image that is at build time, so a
     * setting made when the binary runs would change nothing. The service leaves that setting at its default.)
     * Without introspection, the fields of the introspection types are hidden, with a prefix check rather than
     * graphql-java's regular expression per field.
     */
    static GraphQLSchema withFieldVisibility(GraphQLSchema schema, boolean introspection) {
        GraphqlFieldVisibility chosen = introspection ? DefaultGraphqlFieldVisibility.DEFAULT_FIELD_VISIBILITY
                : IntrospectionTypesHidden.INSTANCE;
        return schema.transform(b -> b.codeRegistry(schema.getCodeRegistry().transform(r -> r.fieldVisibility(chosen))));
    }

    /** What graphql-java's no-introspection visibility does, as a prefix check: hides the introspection types' fields. */
    private enum IntrospectionTypesHidden implements GraphqlFieldVisibility {
        INSTANCE;

        @Override
        public List<GraphQLFieldDefinition> getFieldDefinitions(GraphQLFieldsContainer container) {
            return container.getName().startsWith("__") ? List.of() : container.getFieldDefinitions();
        }

        @Override
        public GraphQLFieldDefinition getFieldDefinition(GraphQLFieldsContainer container, String fieldName) {
            return container.getName().startsWith("__") ? null : container.getFieldDefinition(fieldName);
        }

        @Override
        public List<GraphQLInputObjectField> getFieldDefinitions(GraphQLInputFieldsContainer container) {
            return container.getName().startsWith("__") ? List.of() : container.getFieldDefinitions();
        }

        @Override
        public GraphQLInputObjectField getFieldDefinition(GraphQLInputFieldsContainer container, String fieldName) {
            return container.getName().startsWith("__") ? null : container.getFieldDefinition(fieldName);
        }
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
