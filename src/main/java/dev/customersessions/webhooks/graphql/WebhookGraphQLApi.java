package dev.customersessions.webhooks.graphql;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

import jakarta.inject.Inject;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.Mutation;
import org.eclipse.microprofile.graphql.Name;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Query;
import org.eclipse.microprofile.graphql.Source;

import dev.customersessions.CustomerSessionsConfig;
import dev.customersessions.auth.Caller;
import dev.customersessions.auth.IssuedSecrets;
import dev.customersessions.common.LoggedFailures;
import dev.customersessions.common.PageInfo;
import dev.customersessions.common.PageRequest;
import dev.customersessions.common.RefusedException;
import dev.customersessions.common.UserError;
import dev.customersessions.idempotency.IdempotentWrites;
import dev.customersessions.webhooks.WebhookDelivery;
import dev.customersessions.webhooks.WebhookDeliveryStatus;
import dev.customersessions.webhooks.WebhookEndpoint.WithSecret;
import dev.customersessions.webhooks.WebhookService;
import dev.customersessions.webhooks.graphql.WebhookTypes.DeleteWebhookEndpointPayload;
import dev.customersessions.webhooks.graphql.WebhookTypes.WebhookDeliveryAttemptType;
import dev.customersessions.webhooks.graphql.WebhookTypes.WebhookDeliveryConnection;
import dev.customersessions.webhooks.graphql.WebhookTypes.WebhookDeliveryEdge;
import dev.customersessions.webhooks.graphql.WebhookTypes.WebhookDeliveryPayload;
import dev.customersessions.webhooks.graphql.WebhookTypes.WebhookDeliveryType;
import dev.customersessions.webhooks.graphql.WebhookTypes.WebhookEndpointConnection;
import dev.customersessions.webhooks.graphql.WebhookTypes.WebhookEndpointEdge;
import dev.customersessions.webhooks.graphql.WebhookTypes.WebhookEndpointInput;
import dev.customersessions.webhooks.graphql.WebhookTypes.WebhookEndpointPayload;
import dev.customersessions.webhooks.graphql.WebhookTypes.WebhookEndpointType;

/**
 * Webhooks (docs/webhooks.md): an application's endpoints, their delivery log and redelivery. The management key
 * reaches every application's (naming the application where an operation needs one); an application's secret key
 * reaches its own, with applicationId left out. Restricted and publishable keys are refused.
 */
@GraphQLApi
@LoggedFailures
public class WebhookGraphQLApi {

    private static final String WHO = " Secret key (its own application, applicationId left out) or management key.";

    @Inject
    WebhookService webhooks;

    @Inject
    Caller caller;

    @Inject
    IdempotentWrites writes;

    @Inject
    IssuedSecrets issuedSecrets;

    @Inject
    CustomerSessionsConfig config;

    @Mutation("createWebhookEndpoint")
    @Description("Webhooks: Registers a URL to receive the application's session change events, signed with a new secret that "
            + "this answer shows once (webhookEndpoint.secret). A URL whose host resolves to a loopback, private, link-local or "
            + "multicast address is refused. At most 20 endpoints per application." + WHO)
    public @NonNull WebhookEndpointPayload createWebhookEndpoint(@Id @Name("applicationId") Long applicationId,
            @NonNull @Name("input") WebhookEndpointInput input) {
        Long application = caller.secretKeyOrManaged("Managing webhooks", applicationId);
        return endpointAnswer(() -> shown(webhooks.create(application, input.url, input.eventKinds, input.enabled, writes.current())));
    }

    @Mutation("updateWebhookEndpoint")
    @Description("Webhooks: Changes an endpoint's url, eventKinds or enabled; a field left out keeps its value." + WHO)
    public @NonNull WebhookEndpointPayload updateWebhookEndpoint(@NonNull @Id @Name("id") Long id,
            @NonNull @Name("input") WebhookEndpointInput input) {
        Long scope = caller.secretKeyOrManaged("Managing webhooks", null);
        return endpointAnswer(() -> WebhookEndpointType.of(webhooks.update(scope, id, input.url, input.eventKinds, input.enabled,
                writes.current()), null));
    }

    @Mutation("rotateWebhookSecret")
    @Description("Webhooks: Gives an endpoint a new signing secret, shown once in this answer. For 24 hours the old secret signs "
            + "too (the webhook-signature header carries both signatures), so that the receiver can switch without missing a "
            + "delivery." + WHO)
    public @NonNull WebhookEndpointPayload rotateWebhookSecret(@NonNull @Id @Name("id") Long id) {
        Long scope = caller.secretKeyOrManaged("Managing webhooks", null);
        return endpointAnswer(() -> shown(webhooks.rotateSecret(scope, id, writes.current())));
    }

    @Mutation("deleteWebhookEndpoint")
    @Description("Webhooks: Deletes an endpoint with its delivery log; deliveries not yet made are dropped." + WHO)
    public @NonNull DeleteWebhookEndpointPayload deleteWebhookEndpoint(@NonNull @Id @Name("id") Long id) {
        Long scope = caller.secretKeyOrManaged("Managing webhooks", null);
        DeleteWebhookEndpointPayload payload = new DeleteWebhookEndpointPayload();
        refusable(errors -> payload.userErrors = errors,
                () -> payload.deletedWebhookEndpointId = webhooks.delete(scope, id, writes.current()).id());
        return payload;
    }

    @Mutation("redeliverWebhook")
    @Description("Webhooks: Queues a delivered or failed delivery again, due now, under the same id (receivers de-duplicate by "
            + "webhook-id), with a new round of attempts; a pending one is answered as it is." + WHO)
    public @NonNull WebhookDeliveryPayload redeliverWebhook(@NonNull @Id @Name("deliveryId") Long deliveryId) {
        Long scope = caller.secretKeyOrManaged("Redelivering webhooks", null);
        WebhookDeliveryPayload payload = new WebhookDeliveryPayload();
        refusable(errors -> payload.userErrors = errors,
                () -> payload.webhookDelivery = WebhookDeliveryType.of(webhooks.redeliver(scope, deliveryId, writes.current())));
        return payload;
    }

    @Query("webhookEndpoints")
    @Description("Webhooks: The application's endpoints, oldest first, a page at a time (first defaults to 20, capped at 100), "
            + "without their secrets." + WHO)
    public @NonNull WebhookEndpointConnection webhookEndpoints(@Id @Name("applicationId") Long applicationId, @Name("first") Integer first,
            @Name("after") String after) {
        Long application = caller.secretKeyOrManaged("Reading webhooks", applicationId);
        PageRequest page = PageRequest.of(first, after, config.defaultPageSize(), config.maxPageSize());
        WebhookEndpointConnection connection = new WebhookEndpointConnection();
        connection.nodes = PageInfo.page(webhooks.endpoints(application, page), page, endpoint -> endpoint.id(), connection.pageInfo)
                .stream().map(endpoint -> WebhookEndpointType.of(endpoint, null)).toList();
        connection.edges = PageInfo.edges(connection.nodes, node -> node.id, WebhookEndpointEdge::new);
        return connection;
    }

    @Query("webhookDeliveries")
    @Description("Webhooks: The delivery log of an endpoint: its deliveries, newest first, of one status or all, a page at a "
            + "time (first defaults to 20, capped at 100); none for an endpoint the caller cannot reach. Deliveries delivered "
            + "or failed are kept 7 days." + WHO)
    public @NonNull WebhookDeliveryConnection webhookDeliveries(@NonNull @Id @Name("endpointId") Long endpointId,
            @Name("status") WebhookDeliveryStatus status, @Name("first") Integer first, @Name("after") String after) {
        Long scope = caller.secretKeyOrManaged("Reading webhooks", null);
        PageRequest page = PageRequest.of(first, after, config.defaultPageSize(), config.maxPageSize());
        WebhookDeliveryConnection connection = new WebhookDeliveryConnection();
        connection.nodes = PageInfo.page(webhooks.deliveries(scope, endpointId, status, page), page, delivery -> delivery.id(),
                connection.pageInfo).stream().map(WebhookDeliveryType::of).toList();
        connection.edges = PageInfo.edges(connection.nodes, node -> node.id, WebhookDeliveryEdge::new);
        return connection;
    }

    @NonNull
    @Description("The newest attempts of the delivery (at most 25), newest first.")
    public List<@NonNull List<@NonNull WebhookDeliveryAttemptType>> attempts(@Source List<WebhookDeliveryType> deliveries) {
        List<WebhookDelivery> of = deliveries.stream().map(delivery -> delivery.source).toList();
        return webhooks.attemptsOf(of).stream().map(attempts -> attempts.stream().map(WebhookDeliveryAttemptType::of).toList()).toList();
    }

    private WebhookEndpointType shown(WithSecret created) {
        issuedSecrets.add(created.secret()); // shown in this answer, never kept under an Idempotency-Key
        return WebhookEndpointType.of(created.endpoint(), created.secret());
    }

    private static WebhookEndpointPayload endpointAnswer(Supplier<WebhookEndpointType> endpoint) {
        WebhookEndpointPayload payload = new WebhookEndpointPayload();
        refusable(errors -> payload.userErrors = errors, () -> payload.webhookEndpoint = endpoint.get());
        return payload;
    }

    /** Runs the work; its refusal's user errors go to the payload. */
    private static void refusable(Consumer<List<UserError>> refuse, Runnable work) {
        try {
            work.run();
        } catch (RefusedException e) {
            refuse.accept(e.errors());
        }
    }
}
