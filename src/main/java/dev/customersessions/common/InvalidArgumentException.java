package dev.customersessions.common;

import io.smallrye.graphql.api.ErrorCode;

/**
 * A query argument that cannot be used (queries have no {@code userErrors}); served as a top-level GraphQL error
 * with {@code extensions.code = VALIDATION_FAILED} and this message.
 */
@ErrorCode("VALIDATION_FAILED")
public class InvalidArgumentException extends RuntimeException {

    public InvalidArgumentException(String message) {
        super(message, null, false, false);
    }

    /**
     * The refusal behind a database failure, when PostgreSQL refused a value itself (SQLSTATE class 22, data
     * exception: a time outside its range, say); else null.
     */
    public static InvalidArgumentException of(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof java.sql.SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("22")) {
                return new InvalidArgumentException("A value is outside what the database can store "
                        + "(times: the years 4713 BC to 294276 AD)");
            }
        }
        return null;
    }
}
