package dev.customersessions.webhooks;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Enum;

/** Where a webhook delivery stands. */
@Enum("WebhookDeliveryStatus")
@Description("Where a webhook delivery stands.")
public enum WebhookDeliveryStatus {
    @Description("Queued: waiting for its first attempt, for its next one, or for an earlier delivery of the same session "
            + "to the same endpoint; also while an attempt is being made.")
    PENDING,
    @Description("The endpoint answered an attempt with a 2xx status.")
    DELIVERED,
    @Description("Every attempt failed (customer-sessions.webhooks.max-attempts); redeliverWebhook queues it again.")
    FAILED
}
