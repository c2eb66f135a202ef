package dev.customersessions.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import org.jboss.logging.Logger;

import graphql.ErrorClassification;
import graphql.ErrorType;
import graphql.ExceptionWhileDataFetching;
import graphql.ExecutionResult;
import graphql.ExecutionResultImpl;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.execution.AbortExecutionException;
import graphql.execution.ExecutionContext;
import graphql.execution.ResultNodesInfo;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationExecuteOperationParameters;
import graphql.execution.instrumentation.parameters.InstrumentationExecutionParameters;
import graphql.language.Field;
import graphql.language.OperationDefinition;
import io.smallrye.graphql.api.ErrorCode;

/**
 * The service's rules for every GraphQL request, whoever sends it:
 * <ul>
 * <li>before any field runs (and so before credentials are checked), the operation is measured
 * ({@link DocumentCost}) and refused whole with {@code LIMIT_EXCEEDED} when it asks for more than
 * {@link RequestLimitsConfig} allows;</li>
 * <li>then it is charged its cost against the caller's rate limits ({@link RequestBudget}) and refused whole with
 * {@code THROTTLED} when they hold too little; every answer that got this far reports {@code extensions.cost};</li>
 * <li>every error the client sees carries one of our codes ({@link ErrorCodes}) and a message of bounded length:
 * failures of our own (exceptions annotated with {@link ErrorCode}) keep their code, malformed requests become
 * {@code BAD_REQUEST}, and anything unexpected becomes {@code INTERNAL} without details.</li>
 * </ul>
 */
public class RequestPolicyInstrumentation extends SimplePerformantInstrumentation {

    private static final Logger LOG = Logger.getLogger(RequestPolicyInstrumentation.class);

    /**
     * The listings that page ({@link EngineRegistration#pagedListings()}): their {@code first} counts against
     * {@link RequestLimitsConfig#listedNodes()}.
     */
    private final Set<String> pagedListings;

    private final RequestLimitsConfig limits;
    private final Function<QueryCost, RequestBudget> charge;
    private final int defaultPageSize;
    private final int maxPageSize;

    public RequestPolicyInstrumentation(RequestLimitsConfig limits, int defaultPageSize, int maxPageSize, Set<String> pagedListings,
            Function<QueryCost, RequestBudget> charge) {
        this.pagedListings = Set.copyOf(pagedListings);
        this.charge = charge;
        this.limits = limits;
        this.defaultPageSize = defaultPageSize;
        this.maxPageSize = maxPageSize;
    }

    @Override
    public InstrumentationContext<ExecutionResult> beginExecuteOperation(InstrumentationExecuteOperationParameters parameters,
            InstrumentationState state) {
        ExecutionContext execution = parameters.getExecutionContext();
        OperationDefinition operation = execution.getOperationDefinition();
        Map<String, Object> variables = execution.getCoercedVariables().toMap();
        DocumentCost cost = DocumentCost.of(operation.getSelectionSet(), execution.getFragmentsByName(),
                field -> pageSize(field, variables));
        List<String> exceeded = new ArrayList<>();
        check(cost.depth(), limits.depth(), "depth", "customer-sessions.limits.depth", exceeded);
        check(cost.fields(), limits.fields(), "fields (fragments expanded)", "customer-sessions.limits.fields", exceeded);
        check(cost.aliases(), limits.aliases(), "aliases", "customer-sessions.limits.aliases", exceeded);
        if (operation.getOperation() == OperationDefinition.Operation.MUTATION) {
            check(cost.rootFields(), limits.rootMutations(), "mutations in one operation", "customer-sessions.limits.root-mutations", exceeded);
        }
        check(cost.listedNodes(), limits.listedNodes(), "listed nodes (Σ first over the listings)", "customer-sessions.limits.listed-nodes", exceeded);
        if (!exceeded.isEmpty()) {
            throw new AbortExecutionException(exceeded.stream()
                    .map(message -> error(ErrorCodes.LIMIT_EXCEEDED, message, ErrorType.ValidationError))
                    .toList());
        }
        RequestBudget budget = charge.apply(QueryCost.of(cost, operation, execution.getFragmentsByName(), field -> pageSize(field, variables)));
        execution.getGraphQLContext().put(RequestBudget.CONTEXT_KEY, budget);
        if (!budget.accepted()) {
            throw new AbortExecutionException(List.of(budget.retryAfterSeconds() < 0
                    ? error(ErrorCodes.LIMIT_EXCEEDED, "The operation costs " + budget.requested() + " points, more than the rate limit's "
                            + "bucket ever holds: ask for fewer sessions (first) or fewer fields (docs/limits.md)", ErrorType.ValidationError)
                    : error(ErrorCodes.THROTTLED, "Too many requests: this operation costs " + budget.requested() + " points and the "
                            + "key's budget holds fewer now; retry after " + budget.retryAfterSeconds() + " s (extensions.cost.throttleStatus)",
                            ErrorType.ExecutionAborted)));
        }
        // graphql-java stops completing values past this count; instrumentExecutionResult turns that into a refusal.
        execution.getGraphQLContext().put(ResultNodesInfo.MAX_RESULT_NODES, limits.resultValues());
        return super.beginExecuteOperation(parameters, state);
    }

    private int pageSize(Field field, Map<String, Object> variables) {
        if (!pagedListings.contains(field.getName())) {
            return 0;
        }
        if (!DocumentCost.hasArgument(field, "first")) {
            return defaultPageSize;
        }
        Integer first = DocumentCost.intArgument(field, "first", variables);
        // A value that cannot be read here is refused when the field runs; until then it counts as the largest page.
        return first == null ? maxPageSize : Math.max(1, Math.min(first, maxPageSize));
    }

    private static void check(long measured, int limit, String what, String setting, List<String> exceeded) {
        if (measured > limit) {
            exceeded.add("The operation asks for too much: " + what + " "
                    + (measured == Long.MAX_VALUE ? "more than " + Long.MAX_VALUE : measured) + ", at most " + limit
                    + " allowed (" + setting + ")");
        }
    }

    @Override
    public CompletableFuture<ExecutionResult> instrumentExecutionResult(ExecutionResult result,
            InstrumentationExecutionParameters parameters, InstrumentationState state) {
        return checked(result, parameters).thenApply(checked -> withCost(checked, parameters.getGraphQLContext().get(RequestBudget.CONTEXT_KEY)));
    }

    /** The result with {@code extensions.cost}, once the request was measured against the rate limits. */
    private static ExecutionResult withCost(ExecutionResult result, RequestBudget budget) {
        if (budget == null) {
            return result;
        }
        budget.settle(result.getData());
        Map<Object, Object> extensions = new LinkedHashMap<>(result.getExtensions() == null ? Map.of() : result.getExtensions());
        extensions.put("cost", budget.extension());
        return ExecutionResultImpl.newExecutionResult().from(result).extensions(extensions).build();
    }

    private CompletableFuture<ExecutionResult> checked(ExecutionResult result, InstrumentationExecutionParameters parameters) {
        ResultNodesInfo values = parameters.getGraphQLContext().get(ResultNodesInfo.RESULT_NODES_INFO);
        if (values != null && values.isMaxResultNodesExceeded()) {
            // data: null, as the request ran (a mutation may have been applied); only its answer was too large
            return CompletableFuture.completedFuture(ExecutionResultImpl.newExecutionResult().data(null).addError(error(ErrorCodes.LIMIT_EXCEEDED,
                    "The response would hold more than " + limits.resultValues() + " values (customer-sessions.limits.result-values): "
                            + "ask for fewer sessions (first) or fewer fields", ErrorType.ValidationError)).build());
        }
        if (result.getErrors().isEmpty()) {
            return CompletableFuture.completedFuture(result);
        }
        // A null that reached a non-null field follows another error, which says why: that one is enough.
        boolean explained = result.getErrors().stream().anyMatch(e -> !(e instanceof graphql.execution.NonNullableFieldWasNullError));
        List<GraphQLError> errors = new ArrayList<>(result.getErrors().stream().filter(e -> !isVariableError(e))
                .filter(e -> !(explained && e instanceof graphql.execution.NonNullableFieldWasNullError))
                .map(RequestPolicyInstrumentation::ours).toList());
        List<GraphQLError> variableErrors = result.getErrors().stream().filter(RequestPolicyInstrumentation::isVariableError).toList();
        if (!variableErrors.isEmpty()) {
            errors.addAll(0, variableErrors(variableErrors, parameters));
        }
        return CompletableFuture.completedFuture(ExecutionResultImpl.newExecutionResult().from(result).errors(errors).build());
    }

    /** graphql-java's refusal of a variable value: it names the first bad variable only, not where in it. */
    static boolean isVariableError(GraphQLError error) {
        return !(error instanceof ExceptionWhileDataFetching) && error.getMessage() != null
                && (error.getMessage().startsWith("Variable '") || error.getMessage().startsWith("The variables input"));
    }

    /** Every problem of the variables, each with its path, in place of graphql-java's first one. */
    private static List<GraphQLError> variableErrors(List<GraphQLError> reported, InstrumentationExecutionParameters parameters) {
        List<VariableProblems.Problem> problems = VariableProblems.of(parameters.getSchema(), parameters.getQuery(),
                parameters.getOperation(), parameters.getVariables());
        if (problems.isEmpty()) {
            return reported.stream().map(RequestPolicyInstrumentation::ours).toList();
        }
        GraphQLError first = reported.get(0);
        return problems.stream().map(problem -> {
            GraphqlErrorBuilder<?> error = GraphqlErrorBuilder.newError()
                    .message(ErrorCodes.shorter("Variable " + String.join(".", problem.path()) + ": " + problem.message()))
                    .extensions(Map.of("code", ErrorCodes.BAD_REQUEST, "field", problem.path())).errorType(ErrorType.ValidationError);
            if (first.getLocations() != null) {
                error.locations(first.getLocations());
            }
            return (GraphQLError) error.build();
        }).toList();
    }

    /**
     * Our own refusal among the failure and its causes (an exception annotated with {@link ErrorCode} whose code clients
     * may see), or null: a failure that ends a subscription's stream is shown as such, or as INTERNAL.
     */
    static Throwable refusalIn(Throwable failure) {
        for (Throwable at = failure; at != null; at = at.getCause() == at ? null : at.getCause()) {
            ErrorCode code = at.getClass().getAnnotation(ErrorCode.class);
            if (code != null && ErrorCodes.ALL.contains(code.value())) {
                return at;
            }
        }
        return null;
    }

    /** The error as clients may see it. */
    static GraphQLError ours(GraphQLError error) {
        if (error instanceof ExceptionWhileDataFetching fetching) {
            Throwable failure = fetching.getException();
            if (failure != null && failure.getClass().isAnnotationPresent(ErrorCode.class)) {
                return error; // our own refusal: SmallRye adds its code, the message is ours
            }
            // Failures of our resolvers were logged with their stack trace by LoggedFailuresInterceptor already.
            LOG.warnf("Served INTERNAL at %s for %s", error.getPath(), failure == null ? error.getMessage() : failure.toString());
            return copy(error, ErrorCodes.INTERNAL, "Internal error", ErrorType.DataFetchingException);
        }
        if (error instanceof graphql.execution.NonNullableFieldWasNullError || error instanceof graphql.SerializationError) {
            LOG.warnf("Served INTERNAL at %s for %s", error.getPath(), error.getMessage());
            return copy(error, ErrorCodes.INTERNAL, "Internal error", ErrorType.DataFetchingException);
        }
        Object code = error.getExtensions() == null ? null : error.getExtensions().get("code");
        if (code instanceof String known && ErrorCodes.ALL.contains(known)) {
            return ErrorCodes.shorter(error.getMessage()).equals(error.getMessage()) ? error
                    : copy(error, known, error.getMessage(), error.getErrorType());
        }
        // Malformed documents, unknown fields, values of the wrong type: the client's request is at fault.
        return copy(error, ErrorCodes.BAD_REQUEST, withoutValueDump(error.getMessage()), error.getErrorType());
    }

    /**
     * graphql-java's message without the dump of the value it refused ({@code with value 'ObjectValue{objectFields=
     * [...]}'}): the rest names the argument path and what is wrong.
     */
    static String withoutValueDump(String message) {
        if (message == null) {
            return null;
        }
        int start = message.indexOf(" with value '");
        int end = Math.max(message.lastIndexOf("' is "), Math.max(message.lastIndexOf("' contains "), message.lastIndexOf("' has ")));
        return start < 0 || end <= start ? message : message.substring(0, start) + message.substring(end + 1);
    }

    static GraphQLError copy(GraphQLError error, String code, String message, ErrorClassification classification) {
        GraphqlErrorBuilder<?> copy = GraphqlErrorBuilder.newError().message(ErrorCodes.shorter(message))
                .extensions(Map.of("code", code)).errorType(classification);
        if (error.getLocations() != null) {
            copy.locations(error.getLocations());
        }
        if (error.getPath() != null) {
            copy.path(error.getPath());
        }
        return copy.build();
    }

    static GraphQLError error(String code, String message, ErrorClassification classification) {
        return GraphqlErrorBuilder.newError().message(ErrorCodes.shorter(message)).extensions(Map.of("code", code))
                .errorType(classification).build();
    }
}
