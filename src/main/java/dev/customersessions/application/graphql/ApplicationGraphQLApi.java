package dev.customersessions.application.graphql;

import jakarta.inject.Inject;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.Mutation;
import org.eclipse.microprofile.graphql.Name;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Query;

import dev.customersessions.common.LoggedFailures;
import dev.customersessions.common.PageInfo;
import dev.customersessions.common.PageRequest;
import dev.customersessions.CustomerSessionsConfig;
import dev.customersessions.application.ApplicationService;
import dev.customersessions.application.ApplicationService.NewApiKey;
import dev.customersessions.application.graphql.ApplicationPayloads.ApiKeyPayload;
import dev.customersessions.application.graphql.ApplicationPayloads.ApplicationPayload;
import dev.customersessions.application.graphql.ApplicationPayloads.CreateApplicationPayload;
import dev.customersessions.application.graphql.ManagementConnections.ApiKeyConnection;
import dev.customersessions.application.graphql.ManagementConnections.ApiKeyEdge;
import dev.customersessions.application.graphql.ManagementConnections.ApplicationEdge;
import dev.customersessions.application.graphql.ManagementConnections.ApplicationConnection;
import dev.customersessions.auth.Caller;
import dev.customersessions.common.RefusedException;

/** The caller's application (API key) and the management of applications and keys (management key). */
@GraphQLApi
@LoggedFailures
public class ApplicationGraphQLApi {

    @Inject
    ApplicationService service;

    @Inject
    Caller caller;

    @Inject
    CustomerSessionsConfig config;

    @Query("application")
    @Description("Storefront (API key): The application of the API key in the Authorization header.")
    public @NonNull ApplicationType application() {
        long applicationId = caller.applicationId();
        return service.findById(applicationId).map(ApplicationType::of).orElseThrow();
    }

    @Query("applications")
    @Description("Management (management key): All applications, oldest first, a page at a time (first defaults to 20, capped at 100). Needs the management key.")
    public @NonNull ApplicationConnection applications(@Name("first") Integer first, @Name("after") String after) {
        caller.requireManagementKey();
        PageRequest page = PageRequest.of(first, after, config.defaultPageSize(), config.maxPageSize());
        ApplicationConnection connection = new ApplicationConnection();
        connection.nodes = PageInfo.page(service.applications(page), page, a -> a.id, connection.pageInfo).stream()
                .map(ApplicationType::of).toList();
        connection.edges = PageInfo.edges(connection.nodes, node -> node.id, ApplicationEdge::new);
        return connection;
    }

    @Query("apiKeys")
    @Description("Management (management key): An application's API keys, oldest first, revoked ones included, a page at a time. Needs the management key.")
    public @NonNull ApiKeyConnection apiKeys(@NonNull @Id @Name("applicationId") Long applicationId, @Name("first") Integer first,
            @Name("after") String after) {
        caller.requireManagementKey();
        PageRequest page = PageRequest.of(first, after, config.defaultPageSize(), config.maxPageSize());
        ApiKeyConnection connection = new ApiKeyConnection();
        connection.nodes = PageInfo.page(service.apiKeys(applicationId, page), page, k -> k.id, connection.pageInfo).stream()
                .map(k -> ApiKeyType.of(k, null)).toList();
        connection.edges = PageInfo.edges(connection.nodes, node -> node.id, ApiKeyEdge::new);
        return connection;
    }

    @Mutation("createApplication")
    @Description("Management (management key): Creates an application and its first API key. Needs the management key.")
    public @NonNull CreateApplicationPayload createApplication(@NonNull @Name("input") ApplicationInput input) {
        caller.requireManagementKey();
        CreateApplicationPayload payload = new CreateApplicationPayload();
        try {
            NewApiKey created = service.create(input.name, input.currency);
            payload.application = ApplicationType.of(created.application());
            payload.apiKey = ApiKeyType.of(created.apiKey(), created.plainKey());
        } catch (RefusedException e) {
            payload.userErrors = e.errors();
        }
        return payload;
    }

    @Mutation("updateApplication")
    @Description("Management (management key): Changes an application's name or currency. Needs the management key.")
    public @NonNull ApplicationPayload updateApplication(@NonNull @Id @Name("id") Long id, @NonNull @Name("input") ApplicationInput input) {
        caller.requireManagementKey();
        ApplicationPayload payload = new ApplicationPayload();
        try {
            payload.application = ApplicationType.of(service.update(id, input.name, input.currency));
        } catch (RefusedException e) {
            payload.userErrors = e.errors();
        }
        return payload;
    }

    @Mutation("createApiKey")
    @Description("Management (management key): Issues another API key for an application; its plain value is shown only in this result. Needs the management key.")
    public @NonNull ApiKeyPayload createApiKey(@NonNull @Id @Name("applicationId") Long applicationId) {
        caller.requireManagementKey();
        ApiKeyPayload payload = new ApiKeyPayload();
        try {
            NewApiKey created = service.createApiKey(applicationId);
            payload.apiKey = ApiKeyType.of(created.apiKey(), created.plainKey());
        } catch (RefusedException e) {
            payload.userErrors = e.errors();
        }
        return payload;
    }

    @Mutation("revokeApiKey")
    @Description("Management (management key): Revokes an API key: requests with it fail from now on. Needs the management key.")
    public @NonNull ApiKeyPayload revokeApiKey(@NonNull @Id @Name("id") Long id) {
        caller.requireManagementKey();
        ApiKeyPayload payload = new ApiKeyPayload();
        try {
            payload.apiKey = ApiKeyType.of(service.revokeApiKey(id), null);
        } catch (RefusedException e) {
            payload.userErrors = e.errors();
        }
        return payload;
    }
}
