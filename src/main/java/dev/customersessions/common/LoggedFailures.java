package dev.customersessions.common;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.interceptor.InterceptorBinding;

/**
 * Marks GraphQL API classes whose unexpected failures are logged with their stack trace, while the failures
 * that are answers to the client (bad credentials, unusable arguments) are not logged as errors.
 */
@InterceptorBinding
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface LoggedFailures {
}
