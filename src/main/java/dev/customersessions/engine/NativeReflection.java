package dev.customersessions.engine;

import dev.customersessions.auth.AuthenticationFailedException;
import dev.customersessions.auth.ForbiddenException;
import dev.customersessions.common.BusyException;
import dev.customersessions.common.InvalidArgumentException;
import dev.customersessions.common.LimitExceededException;
import dev.customersessions.session.graphql.AdditionalCostType;
import dev.customersessions.session.graphql.AttributeType;
import dev.customersessions.session.graphql.CartItemReturnType;
import dev.customersessions.session.graphql.CartItemType;
import dev.customersessions.session.graphql.CustomerSessionType;
import dev.customersessions.session.graphql.ProductType;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What the application itself resolves by reflection, registered for the native image (Quarkus registers the
 * GraphQL schema's classes for SmallRye's own use, Hibernate's entities and the CDI beans; these are read by our
 * code):
 * <ul>
 * <li>the output types whose public fields {@link LeanFieldFetchers} reads with {@code Class.getField} and
 * {@code Field.get};</li>
 * <li>the exceptions whose {@code @ErrorCode} annotation {@link RequestPolicyInstrumentation} and
 * {@code LoggedFailuresInterceptor} read at run time.</li>
 * </ul>
 * {@code NativeReflectionTest} checks that the lists here and there agree.
 */
@RegisterForReflection(targets = {
        CustomerSessionType.class, CartItemType.class, AdditionalCostType.class, AttributeType.class,
        ProductType.class, CartItemReturnType.class, CartItemReturnType.ReturnedCartItemType.class,
        AuthenticationFailedException.class, ForbiddenException.class, BusyException.class, InvalidArgumentException.class,
        LimitExceededException.class })
final class NativeReflection {

    private NativeReflection() {
    }
}
