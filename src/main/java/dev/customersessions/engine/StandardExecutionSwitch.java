package dev.customersessions.engine;

import graphql.ExecutionResult;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationExecutionParameters;
import graphql.execution.instrumentation.parameters.InstrumentationFieldFetchParameters;
import graphql.schema.DataFetcher;
import io.quarkus.arc.Arc;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Sets {@link ExecutionPath#STANDARD} for a request that asks with the header {@value #HEADER}{@code : true}, only
 * where {@code customer-sessions.engine.standard-execution-header} is on (the test profile; in production the header
 * is ignored), and gives an execution that runs the standard way SmallRye's own data fetchers in place of the
 * public-field reads ({@link LeanFieldFetchers#forExecution}). graphql-java asks {@link #instrumentDataFetcher} for
 * every field it fetches, with the execution at hand: the one place a per-execution choice of fetcher can be made
 * without building the field's environment. ({@link RequestLevelInstrumentation} calls the same choice directly.)
 */
final class StandardExecutionSwitch extends SimplePerformantInstrumentation {

    static final String HEADER = "X-Standard-Execution";

    private final boolean headerHonoured;
    private final CurrentVertxRequest currentRequest;

    StandardExecutionSwitch(boolean headerHonoured, CurrentVertxRequest currentRequest) {
        this.headerHonoured = headerHonoured;
        this.currentRequest = currentRequest;
    }

    @Override
    public InstrumentationContext<ExecutionResult> beginExecution(InstrumentationExecutionParameters parameters, InstrumentationState state) {
        if (headerHonoured && Arc.container().requestContext().isActive()) {
            RoutingContext request = currentRequest.getCurrent();
            if (request != null && "true".equalsIgnoreCase(request.request().getHeader(HEADER))) {
                parameters.getGraphQLContext().put(ExecutionPath.STANDARD, Boolean.TRUE);
            }
        }
        return super.beginExecution(parameters, state);
    }

    @Override
    public DataFetcher<?> instrumentDataFetcher(DataFetcher<?> dataFetcher, InstrumentationFieldFetchParameters parameters,
            InstrumentationState state) {
        return LeanFieldFetchers.forExecution(dataFetcher, parameters.getExecutionContext().getGraphQLContext());
    }
}
