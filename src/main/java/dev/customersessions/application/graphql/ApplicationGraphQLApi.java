package dev.customersessions.application.graphql;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.Mutation;
import org.eclipse.microprofile.graphql.Name;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Query;
import org.eclipse.microprofile.graphql.Source;

import dev.customersessions.common.LoggedFailures;
import dev.customersessions.common.PageInfo;
import dev.customersessions.common.PageRequest;
import dev.customersessions.CustomerSessionsConfig;
import dev.customersessions.idempotency.IdempotentWrites;
import dev.customersessions.application.AdditionalCostDefinition;
import dev.customersessions.application.ApplicationService;
import dev.customersessions.application.AttributeDefinition;
import dev.customersessions.application.DefinitionService;
import dev.customersessions.application.graphql.DefinitionTypes.AdditionalCostDefinitionInput;
import dev.customersessions.application.graphql.DefinitionTypes.AdditionalCostDefinitionPayload;
import dev.customersessions.application.graphql.DefinitionTypes.AdditionalCostDefinitionType;
import dev.customersessions.application.graphql.DefinitionTypes.AttributeDefinitionInput;
import dev.customersessions.application.graphql.DefinitionTypes.AttributeDefinitionPayload;
import dev.customersessions.application.graphql.DefinitionTypes.AttributeDefinitionType;
import dev.customersessions.application.ApplicationService.NewApiKey;
import static dev.customersessions.application.graphql.ApplicationPayloads.answer;

import dev.customersessions.application.graphql.ApplicationPayloads.ApiKeyPayload;
import dev.customersessions.application.graphql.ApplicationPayloads.ApplicationPayload;
import dev.customersessions.application.graphql.ApplicationPayloads.CreateApplicationPayload;
import dev.customersessions.application.graphql.ManagementConnections.ApiKeyConnection;
import dev.customersessions.application.graphql.ManagementConnections.ApiKeyEdge;
import dev.customersessions.application.graphql.ManagementConnections.ApplicationEdge;
import dev.customersessions.application.graphql.ManagementConnections.ApplicationConnection;
import dev.customersessions.application.ApiKeyGrant;
import dev.customersessions.application.ApiKeyKind;
import dev.customersessions.application.ApiKeyScope;
import dev.customersessions.auth.Caller;
import dev.customersessions.auth.IssuedSecrets;
import dev.customersessions.application.RetentionDays;
import graphql.schema.DataFetchingEnvironment;
import io.smallrye.graphql.api.Context;

/** The caller's application (API key) and the management of applications and keys (management key). */
@GraphQLApi
@LoggedFailures
public class ApplicationGraphQLApi {

    @Inject
    IdempotentWrites writes;

    @Inject
    ApplicationService service;

    @Inject
    DefinitionService definitions;

    @Inject
    Caller caller;

    @Inject
    IssuedSecrets issuedSecrets;

    @Inject
    CustomerSessionsConfig config;

    @Inject
    Context context;

    @Query("application")
    @Description("Storefront (API key): The application of the API key in the Authorization header: its currency, settings and "
            + "definitions. Any key kind (a restricted key needs READ_APPLICATION).")
    public @NonNull ApplicationType application() {
        ApiKeyGrant key = caller.apiKey();
        long applicationId = key.kind() == ApiKeyKind.PUBLISHABLE ? key.applicationId()
                : caller.require(ApiKeyScope.READ_APPLICATION, "Reading the application");
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
    @Description("Management (management key): Creates an application (cartItemFlattening left out: off; open sessions kept 90 "
            + "days after their last change and finished ones forever, unless the input says otherwise) and its first API key. "
            + "Needs the management key.")
    public @NonNull CreateApplicationPayload createApplication(@NonNull @Name("input") ApplicationInput input) {
        caller.requireManagementKey();
        return answer(new CreateApplicationPayload(), payload -> {
            NewApiKey created = service.create(input.name, input.currency, input.cartItemFlattening,
                    given("openSessionRetentionDays", input.openSessionRetentionDays),
                    given("finishedSessionRetentionDays", input.finishedSessionRetentionDays), writes.current());
            issuedSecrets.add(created.plainKey());
            payload.application = ApplicationType.of(created.application());
            payload.apiKey = ApiKeyType.of(created.apiKey(), created.plainKey());
        });
    }

    @Mutation("updateApplication")
    @Description("Management (management key): Changes an application's name, currency, cartItemFlattening or retention; a field "
            + "left out keeps its value (a retention sent as null: kept forever). Needs the management key.")
    public @NonNull ApplicationPayload updateApplication(@NonNull @Id @Name("id") Long id, @NonNull @Name("input") ApplicationInput input) {
        caller.requireManagementKey();
        return answer(new ApplicationPayload(), payload -> {
            payload.application = ApplicationType.of(service.update(id, input.name, input.currency, input.cartItemFlattening,
                    given("openSessionRetentionDays", input.openSessionRetentionDays),
                    given("finishedSessionRetentionDays", input.finishedSessionRetentionDays), writes.current()));
        });
    }

    /**
     * A retention field of the request's {@code input}: null when it was left out, its days (null: forever) when it was
     * sent, as a value or as an explicit null. GraphQL tells the two apart; the bound input object does not.
     */
    private RetentionDays given(String field, Integer days) {
        DataFetchingEnvironment environment = context.unwrap(DataFetchingEnvironment.class);
        Object input = environment == null ? null : environment.getArgument("input");
        boolean sent = days != null || input instanceof Map<?, ?> fields && fields.containsKey(field);
        return sent ? new RetentionDays(days) : null;
    }

    @Mutation("defineAttribute")
    @Description("Management (management key): Defines a custom attribute of customer sessions or cart items; sessions may then carry "
            + "it with values of its type. Defining it again changes only its description. Needs the management key.")
    public @NonNull AttributeDefinitionPayload defineAttribute(@NonNull @Id @Name("applicationId") Long applicationId,
            @NonNull @Name("input") AttributeDefinitionInput input) {
        caller.requireManagementKey();
        return answer(new AttributeDefinitionPayload(), payload -> {
            payload.attributeDefinition = AttributeDefinitionType.of(
                    definitions.defineAttribute(applicationId, input.entity, input.name, input.type, input.description,
                            writes.current()));
        });
    }

    @Mutation("defineAdditionalCost")
    @Description("Management (management key): Defines an additional cost (such as shipping) for sessions, cart items or both. Defining "
            + "it again changes its title, description and scope, which can only widen to BOTH. Needs the management key.")
    public @NonNull AdditionalCostDefinitionPayload defineAdditionalCost(@NonNull @Id @Name("applicationId") Long applicationId,
            @NonNull @Name("input") AdditionalCostDefinitionInput input) {
        caller.requireManagementKey();
        return answer(new AdditionalCostDefinitionPayload(), payload -> {
            payload.additionalCostDefinition = AdditionalCostDefinitionType.of(
                    definitions.defineCost(applicationId, input.name, input.title, input.description, input.scope,
                            writes.current()));
        });
    }

    @NonNull
    @Description("The custom attributes the application accepts, by entity and name (at most 500).")
    public List<@NonNull List<@NonNull AttributeDefinitionType>> attributeDefinitions(@Source List<ApplicationType> applications) {
        Map<Long, List<AttributeDefinition>> found = definitions.attributesOf(applications.stream().map(a -> a.id).toList());
        return applications.stream().map(a -> found.get(a.id).stream().map(AttributeDefinitionType::of).toList()).toList();
    }

    @NonNull
    @Description("The additional costs the application accepts, by name (at most 100).")
    public List<@NonNull List<@NonNull AdditionalCostDefinitionType>> additionalCostDefinitions(@Source List<ApplicationType> applications) {
        Map<Long, List<AdditionalCostDefinition>> found = definitions.costsOf(applications.stream().map(a -> a.id).toList());
        return applications.stream().map(a -> found.get(a.id).stream().map(AdditionalCostDefinitionType::of).toList()).toList();
    }

    @Mutation("createApiKey")
    @Description("Management (management key): Issues another API key for an application: SECRET unless input says otherwise; its "
            + "plain value is shown only in this result. Needs the management key.")
    public @NonNull ApiKeyPayload createApiKey(@NonNull @Id @Name("applicationId") Long applicationId, @Name("input") ApiKeyInput input) {
        caller.requireManagementKey();
        return answer(new ApiKeyPayload(), payload -> {
            NewApiKey created = input == null ? service.createApiKey(applicationId, null, null, null, null, writes.current())
                    : service.createApiKey(applicationId, input.kind, input.scopes, input.allowedOrigins, input.name, writes.current());
            issuedSecrets.add(created.plainKey());
            payload.apiKey = ApiKeyType.of(created.apiKey(), created.plainKey());
        });
    }

    @Mutation("revokeApiKey")
    @Description("Management (management key): Revokes an API key: requests with it fail from now on. Needs the management key.")
    public @NonNull ApiKeyPayload revokeApiKey(@NonNull @Id @Name("id") Long id) {
        caller.requireManagementKey();
        return answer(new ApiKeyPayload(), payload -> {
            payload.apiKey = ApiKeyType.of(service.revokeApiKey(id, writes.current()), null);
        });
    }
}
