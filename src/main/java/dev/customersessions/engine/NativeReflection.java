package dev.customersessions.engine;

import dev.customersessions.auth.AuthenticationFailedException;
import dev.customersessions.auth.ForbiddenException;
import dev.customersessions.common.BusyException;
import dev.customersessions.common.OutcomeUnknownException;
import dev.customersessions.common.UnavailableException;
import dev.customersessions.common.InvalidArgumentException;
import dev.customersessions.common.LimitExceededException;
import dev.customersessions.common.NotFoundException;
import dev.customersessions.common.ResyncRequiredException;
import dev.customersessions.idempotency.IdempotentWrites;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What the application itself resolves by reflection, registered for the native image (Quarkus registers the
 * GraphQL schema's classes for SmallRye's own use, Hibernate's entities and the CDI beans; these are read by our
 * code):
 * the exceptions whose {@code @ErrorCode} annotation {@link RequestPolicyInstrumentation} and
 * {@code LoggedFailuresInterceptor} read at run time. The classes whose public fields {@link LeanFieldFetchers} reads
 * ({@link EngineRegistration#plainTypes()}) are registered by the feature that names them. {@code NativeReflectionTest} checks
 * that both are registered. Quarkus's {@code QuarkusRequestWrapper}: {@link GraphQLWebSocketHandler} marks a
 * WebSocket's upgrade request done when the connection ends.
 */
@RegisterForReflection(targets = {
        AuthenticationFailedException.class, ForbiddenException.class, BusyException.class, UnavailableException.class, OutcomeUnknownException.class,
        InvalidArgumentException.class,
        LimitExceededException.class, IdempotentWrites.AnswerAlreadyKept.class, NotFoundException.class, ResyncRequiredException.class,
        io.quarkus.vertx.http.runtime.filters.QuarkusRequestWrapper.class })
final class NativeReflection {

    private NativeReflection() {
    }
}
