package dev.customersessions.application.graphql;

import java.util.List;
import java.util.function.Consumer;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Ignore;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Type;

import dev.customersessions.common.RefusedException;
import dev.customersessions.common.UserError;

/** The results of the management mutations. */
final class ApplicationPayloads {

    private ApplicationPayloads() {
    }

    /** A payload that carries the user errors of a refusal. */
    interface Refusable {
        void refuse(List<UserError> errors);
    }

    /** The payload filled by {@code fill}, or, when that is refused, carrying the refusal's user errors. */
    static <P extends Refusable> P answer(P payload, Consumer<P> fill) {
        try {
            fill.accept(payload);
        } catch (RefusedException e) {
            payload.refuse(e.errors());
        }
        return payload;
    }

    /** The result of createApplication. */
    @Type("CreateApplicationPayload")
    @Description("The new application and its first API key (the plain key is shown only here).")
    public static class CreateApplicationPayload implements Refusable {
        @Description("The new application; null when refused.")
        public ApplicationType application;

        @Description("The application's first API key, with its plain value; null when refused.")
        public ApiKeyType apiKey;

        @NonNull
        @Description("Why the mutation was refused; empty when it succeeded.")
        public List<@NonNull UserError> userErrors = List.of();

        @Override
        @Ignore
        public void refuse(List<UserError> errors) {
            userErrors = errors;
        }
    }

    /** The result of updateApplication. */
    @Type("ApplicationPayload")
    @Description("The application after the mutation.")
    public static class ApplicationPayload implements Refusable {
        @Description("The application; null when refused.")
        public ApplicationType application;

        @NonNull
        @Description("Why the mutation was refused; empty when it succeeded.")
        public List<@NonNull UserError> userErrors = List.of();

        @Override
        @Ignore
        public void refuse(List<UserError> errors) {
            userErrors = errors;
        }
    }

    /** The result of createApiKey and revokeApiKey. */
    @Type("ApiKeyPayload")
    @Description("The API key after the mutation.")
    public static class ApiKeyPayload implements Refusable {
        @Description("The key; null when refused. Its plain value is given only by createApiKey.")
        public ApiKeyType apiKey;

        @NonNull
        @Description("Why the mutation was refused; empty when it succeeded.")
        public List<@NonNull UserError> userErrors = List.of();

        @Override
        @Ignore
        public void refuse(List<UserError> errors) {
            userErrors = errors;
        }
    }
}
