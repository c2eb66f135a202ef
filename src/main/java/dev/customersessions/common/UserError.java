package dev.customersessions.common;

import java.util.List;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Type;

/**
 * A business refusal: a stable code, the path of the offending input field where there is one, and a message a
 * person can act on.
 */
@Type("UserError")
@Description("A refusal of a mutation: nothing of the request was applied.")
public record UserError(
        @NonNull @Description("Stable, machine-readable reason.") UserErrorCode code,
        @Description("Path to the offending input field, e.g. [\"input\", \"cartItems\", \"2\", \"price\"]; null when no single field is at fault.") List<@NonNull String> field,
        @NonNull @Description("What is wrong, for a person.") String message) {

    public static UserError of(UserErrorCode code, FieldPath field, String message) {
        return new UserError(code, field == null ? null : field.segments(), message);
    }
}
