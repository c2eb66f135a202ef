package dev.customersessions.common;

import java.util.List;

/**
 * Thrown inside a service transaction to refuse a request with user errors. The transaction rolls back, so nothing
 * of the request is stored; the GraphQL layer turns it into {@code userErrors}.
 */
public class RefusedException extends RuntimeException {

    private final transient List<UserError> errors;

    public RefusedException(List<UserError> errors) {
        super(errors.isEmpty() ? "refused" : errors.get(0).message(), null, false, false);
        this.errors = List.copyOf(errors);
    }

    public RefusedException(UserErrorCode code, FieldPath field, String message) {
        this(List.of(UserError.of(code, field, message)));
    }

    public List<UserError> errors() {
        return errors;
    }
}
