package dev.customersessions.webhooks.graphql;

import java.time.OffsetDateTime;
import java.util.List;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.Ignore;
import org.eclipse.microprofile.graphql.Input;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Type;

import dev.customersessions.common.PageInfo;
import dev.customersessions.common.UserError;
import dev.customersessions.session.SessionEventKind;
import dev.customersessions.webhooks.WebhookDelivery;
import dev.customersessions.webhooks.WebhookDeliveryStatus;
import dev.customersessions.webhooks.WebhookEndpoint;

/** The webhook API's types: endpoints, deliveries and their attempts, their pages, inputs and payloads. */
final class WebhookTypes {

    private WebhookTypes() {
    }

    /** An endpoint as served: its secret only once, in the answer that made it. */
    @Type("WebhookEndpoint")
    @Description("A URL that receives the application's session change events, signed (docs/webhooks.md).")
    public static class WebhookEndpointType {
        @NonNull
        @Id
        @Description("The endpoint's id.")
        public Long id;

        @NonNull
        @Id
        @Description("The application whose events it receives.")
        public Long applicationId;

        @NonNull
        @Description("Where deliveries are POSTed (https or http).")
        public String url;

        @NonNull
        @Description("The kinds of events it receives; empty: all.")
        public List<@NonNull SessionEventKind> eventKinds;

        @Description("Whether deliveries go to it. A disabled endpoint gets no new deliveries; those queued wait until it is enabled.")
        public boolean enabled;

        @Description("The signing secret (whsec_…): given only in the answers of createWebhookEndpoint and rotateWebhookSecret, "
                + "null anywhere else.")
        public String secret;

        @NonNull
        @Description("When it was created (UTC).")
        public OffsetDateTime created;

        @NonNull
        @Description("When it was last changed (UTC), its secret's rotation included.")
        public OffsetDateTime updated;

        static WebhookEndpointType of(WebhookEndpoint endpoint, String secret) {
            WebhookEndpointType type = new WebhookEndpointType();
            type.id = endpoint.id();
            type.applicationId = endpoint.applicationId();
            type.url = endpoint.url();
            type.eventKinds = endpoint.eventKinds();
            type.enabled = endpoint.enabled();
            type.secret = secret;
            type.created = endpoint.created();
            type.updated = endpoint.updated();
            return type;
        }
    }

    /** A delivery as the delivery log shows it. */
    @Type("WebhookDelivery")
    @Description("One event sent to one endpoint: where it stands and how its attempts went. Its id is the webhook-id header "
            + "(and the body's id) of every attempt, redeliveries included.")
    public static class WebhookDeliveryType {
        @NonNull
        @Id
        @Description("The delivery's id: the webhook-id receivers de-duplicate by.")
        public Long id;

        @NonNull
        @Id
        @Description("The endpoint it goes to.")
        public Long endpointId;

        @NonNull
        @Description("The kind of the event (the body's type).")
        public SessionEventKind eventType;

        @NonNull
        @Description("The session's integrationId.")
        public String integrationId;

        @Description("The session's version after the change (the body's sequence): a session's deliveries to an endpoint go "
                + "out in this order.")
        public int sequence;

        @NonNull
        @Description("PENDING, DELIVERED or FAILED.")
        public WebhookDeliveryStatus status;

        @Description("Attempts made, redeliveries included.")
        public int attemptCount;

        @Description("When the next attempt is due, while it is PENDING (it may wait longer for an earlier delivery of the "
                + "same session); null otherwise.")
        public OffsetDateTime nextAttempt;

        @Description("When the last attempt started; null before the first.")
        public OffsetDateTime lastAttempt;

        @Description("The HTTP status the last attempt was answered with; null when it got no answer (see lastError).")
        public Integer lastStatusCode;

        @Description("Why the last attempt got no answer (no address, an address refused, no connection, TLS, time out); null "
                + "when it got one.")
        public String lastError;

        @Description("When the endpoint accepted it (a 2xx answer); null until then.")
        public OffsetDateTime delivered;

        @NonNull
        @Description("When the fan-out queued it (UTC).")
        public OffsetDateTime created;

        static WebhookDeliveryType of(WebhookDelivery delivery) {
            WebhookDeliveryType type = new WebhookDeliveryType();
            type.id = delivery.id();
            type.endpointId = delivery.endpointId();
            type.eventType = delivery.kind();
            type.integrationId = delivery.integrationId();
            type.sequence = (int) delivery.sequence();
            type.status = delivery.status();
            type.attemptCount = delivery.attempts();
            type.nextAttempt = delivery.nextAttempt();
            type.lastAttempt = delivery.lastAttempt();
            type.lastStatusCode = delivery.lastStatusCode();
            type.lastError = delivery.lastError();
            type.delivered = delivery.delivered();
            type.created = delivery.created();
            type.source = delivery;
            return type;
        }

        /** The delivery served, for its attempts. */
        @Ignore
        WebhookDelivery source;
    }

    /** One attempt of a delivery. */
    @Type("WebhookDeliveryAttempt")
    @Description("One attempt of a delivery: its answer's status code, or the error that kept it from having one.")
    public static class WebhookDeliveryAttemptType {
        @NonNull
        @Description("When the attempt started (UTC).")
        public OffsetDateTime started;

        @Description("How long it took, in milliseconds.")
        public int durationMs;

        @Description("The HTTP status it was answered with (2xx: delivered); null when there was no answer.")
        public Integer statusCode;

        @Description("Why there was no answer; null when there was one.")
        public String error;

        static WebhookDeliveryAttemptType of(WebhookDelivery.Attempt attempt) {
            WebhookDeliveryAttemptType type = new WebhookDeliveryAttemptType();
            type.started = attempt.started();
            type.durationMs = attempt.durationMs();
            type.statusCode = attempt.statusCode();
            type.error = attempt.error();
            return type;
        }
    }

    /** What an endpoint is to be (create) or become (update). */
    @Input("WebhookEndpointInput")
    @Description("An endpoint's settings. createWebhookEndpoint needs url; updateWebhookEndpoint changes only the fields given.")
    public static class WebhookEndpointInput {
        @Description("Where deliveries are POSTed: https:// (or http://), at most 2000 characters, without user name or "
                + "password. Its host may not resolve to a loopback, private, link-local or multicast address.")
        public String url;

        @Description("The kinds of events it receives; left out on create, or []: all.")
        public List<@NonNull SessionEventKind> eventKinds;

        @Description("Whether deliveries go to it; left out on create: true.")
        public Boolean enabled;
    }

    /** The result of createWebhookEndpoint, updateWebhookEndpoint and rotateWebhookSecret. */
    @Type("WebhookEndpointPayload")
    @Description("The endpoint after the mutation.")
    public static class WebhookEndpointPayload {
        @Description("The endpoint; null when refused. Its secret is given by createWebhookEndpoint and rotateWebhookSecret only.")
        public WebhookEndpointType webhookEndpoint;

        @NonNull
        @Description("Why the mutation was refused; empty when it succeeded. A refusal changes nothing.")
        public List<@NonNull UserError> userErrors = List.of();
    }

    /** The result of deleteWebhookEndpoint. */
    @Type("DeleteWebhookEndpointPayload")
    @Description("The endpoint deleted.")
    public static class DeleteWebhookEndpointPayload {
        @Id
        @Description("The id of the endpoint deleted, with its deliveries; null when refused.")
        public Long deletedWebhookEndpointId;

        @NonNull
        @Description("Why the mutation was refused; empty when it succeeded. A refusal changes nothing.")
        public List<@NonNull UserError> userErrors = List.of();
    }

    /** The result of redeliverWebhook. */
    @Type("WebhookDeliveryPayload")
    @Description("The delivery after the mutation.")
    public static class WebhookDeliveryPayload {
        @Description("The delivery, queued again; null when refused.")
        public WebhookDeliveryType webhookDelivery;

        @NonNull
        @Description("Why the mutation was refused; empty when it succeeded. A refusal changes nothing.")
        public List<@NonNull UserError> userErrors = List.of();
    }

    /** One page of endpoints. */
    @Type("WebhookEndpointConnection")
    @Description("One page of an application's webhook endpoints, oldest first.")
    public static class WebhookEndpointConnection {
        @NonNull
        @Description("The endpoints of this page, each with its cursor.")
        public List<@NonNull WebhookEndpointEdge> edges;

        @NonNull
        @Description("The endpoints of this page (never their secrets; the nodes of edges).")
        public List<@NonNull WebhookEndpointType> nodes;

        @NonNull
        @Description("Where this page ends and whether more follow.")
        public PageInfo pageInfo = new PageInfo();
    }

    /** An endpoint and its cursor. */
    @Type("WebhookEndpointEdge")
    @Description("A webhook endpoint in a page, with the cursor to continue after it.")
    public static class WebhookEndpointEdge {
        @NonNull
        @Description("Pass as after to get the endpoints following this one.")
        public String cursor;

        @NonNull
        @Description("The endpoint.")
        public WebhookEndpointType node;

        WebhookEndpointEdge(String cursor, WebhookEndpointType node) {
            this.cursor = cursor;
            this.node = node;
        }
    }

    /** One page of deliveries. */
    @Type("WebhookDeliveryConnection")
    @Description("One page of an endpoint's deliveries, newest first.")
    public static class WebhookDeliveryConnection {
        @NonNull
        @Description("The deliveries of this page, each with its cursor.")
        public List<@NonNull WebhookDeliveryEdge> edges;

        @NonNull
        @Description("The deliveries of this page (the nodes of edges).")
        public List<@NonNull WebhookDeliveryType> nodes;

        @NonNull
        @Description("Where this page ends and whether more (older) follow.")
        public PageInfo pageInfo = new PageInfo();
    }

    /** A delivery and its cursor. */
    @Type("WebhookDeliveryEdge")
    @Description("A webhook delivery in a page, with the cursor to continue after it (to older ones).")
    public static class WebhookDeliveryEdge {
        @NonNull
        @Description("Pass as after to get the deliveries older than this one.")
        public String cursor;

        @NonNull
        @Description("The delivery.")
        public WebhookDeliveryType node;

        WebhookDeliveryEdge(String cursor, WebhookDeliveryType node) {
            this.cursor = cursor;
            this.node = node;
        }
    }
}
