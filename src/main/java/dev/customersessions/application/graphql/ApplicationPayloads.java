package dev.customersessions.application.graphql;

import java.util.List;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Type;

import dev.customersessions.common.UserError;

/** The results of the management mutations. */
final class ApplicationPayloads {

    private ApplicationPayloads() {
    }

    /** The result of createApplication. */
    @Type("CreateApplicationPayload")
    @Description("The new application and its first API key (the plain key is shown only here).")
    public static class CreateApplicationPayload {
        @Description("The new application; null when refused.")
        public ApplicationType application;

        @Description("The application's first API key, with its plain value; null when refused.")
        public ApiKeyType apiKey;

        @NonNull
        @Description("Why the mutation was refused; empty when it succeeded.")
        public List<@NonNull UserError> userErrors = List.of();
    }

    /** The result of updateApplication. */
    @Type("ApplicationPayload")
    @Description("The application after the mutation.")
    public static class ApplicationPayload {
        @Description("The application; null when refused.")
        public ApplicationType application;

        @NonNull
        @Description("Why the mutation was refused; empty when it succeeded.")
        public List<@NonNull UserError> userErrors = List.of();
    }

    /** The result of createApiKey and revokeApiKey. */
    @Type("ApiKeyPayload")
    @Description("The API key after the mutation.")
    public static class ApiKeyPayload {
        @Description("The key; null when refused. Its plain value is given only by createApiKey.")
        public ApiKeyType apiKey;

        @NonNull
        @Description("Why the mutation was refused; empty when it succeeded.")
        public List<@NonNull UserError> userErrors = List.of();
    }
}
