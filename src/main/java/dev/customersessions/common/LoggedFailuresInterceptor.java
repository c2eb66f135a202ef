package dev.customersessions.common;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;

import org.jboss.logging.Logger;

import io.smallrye.graphql.api.ErrorCode;

/**
 * Logs unexpected failures of GraphQL operations at ERROR, with the stack trace; clients only see
 * "Internal error" ({@code INTERNAL}). A database that was too slow or too busy (lock, statement or connection
 * timeout) becomes a {@link BusyException}, one that is unreachable or restarting an {@link UnavailableException}, a
 * commit whose outcome a broken connection hid an {@link OutcomeUnknownException}: logged at WARN, one line per kind
 * and quiet period ({@link FailureLog}), not a stack trace per request. A value PostgreSQL refuses becomes an
 * {@link InvalidArgumentException} ({@link DatabaseFailures}). Failures that carry an {@link ErrorCode} are answers to
 * the client and are logged at DEBUG. (SmallRye GraphQL's own logging of every failure is turned off in
 * application.properties.)
 */
@LoggedFailures
@Interceptor
@Priority(Interceptor.Priority.APPLICATION)
public class LoggedFailuresInterceptor {

    private static final Logger LOG = Logger.getLogger("dev.customersessions.graphql");

    @Inject
    ConnectionLoss connectionLoss;

    @AroundInvoke
    Object logFailures(InvocationContext invocation) throws Exception {
        try {
            return invocation.proceed();
        } catch (RuntimeException e) {
            String operation = invocation.getMethod().getDeclaringClass().getSimpleName() + "." + invocation.getMethod().getName();
            if (e.getClass().isAnnotationPresent(ErrorCode.class)) {
                LOG.debugf("%s refused: %s", operation, e.getMessage());
                throw e;
            }
            DatabaseFailures.Classified failure = DatabaseFailures.classify(e);
            RuntimeException answer = DatabaseFailures.answerFor(failure);
            if (failure != null && failure.kind() != DatabaseFailures.Kind.INVALID_VALUE) {
                connectionLoss.answered(LOG, operation, failure, e);
                throw answer;
            } else if (answer != null) {
                LOG.debugf("%s refused by the database: %s", operation, e.getMessage());
                throw answer;
            } else {
                LOG.errorf(e, "%s failed", operation);
            }
            throw e;
        }
    }
}
