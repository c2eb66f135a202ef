package dev.customersessions.engine;

import graphql.ExecutionResult;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationExecuteOperationParameters;
import io.quarkus.arc.Arc;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;

/**
 * Tells the request's {@link RequestObservation} which operation it runs, as soon as graphql-java has chosen it (and
 * before {@link RequestPolicyInstrumentation}, which may refuse it: a refused operation is still counted under its
 * name). A request-level instrumentation: it has no per-field hook ({@link RequestLevelInstrumentation}).
 */
final class OperationObserver extends SimplePerformantInstrumentation {

    private final CurrentVertxRequest currentRequest;

    OperationObserver(CurrentVertxRequest currentRequest) {
        this.currentRequest = currentRequest;
    }

    @Override
    public InstrumentationContext<ExecutionResult> beginExecuteOperation(InstrumentationExecuteOperationParameters parameters,
            InstrumentationState state) {
        if (Arc.container().requestContext().isActive()) {
            RequestObservation observation = RequestObservation.of(currentRequest.getCurrent());
            if (observation != null) {
                observation.operation(parameters.getExecutionContext().getOperationDefinition());
            }
        }
        return super.beginExecuteOperation(parameters, state);
    }
}
