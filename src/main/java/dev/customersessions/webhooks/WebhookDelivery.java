package dev.customersessions.webhooks;

import java.time.OffsetDateTime;

import dev.customersessions.session.SessionEventKind;

/**
 * One delivery of one event to one endpoint, as the delivery log shows it (its body is not part of the log).
 *
 * @param sequence   the session's version after the change: the order of a session's deliveries to an endpoint
 * @param attempts   attempts made in all, redeliveries included
 * @param nextAttempt when the next attempt is due, while it is PENDING
 */
public record WebhookDelivery(long applicationId, long id, long endpointId, long eventId, String integrationId, SessionEventKind kind,
        long sequence, WebhookDeliveryStatus status, int attempts, OffsetDateTime nextAttempt, OffsetDateTime lastAttempt,
        Integer lastStatusCode, String lastError, OffsetDateTime delivered, OffsetDateTime created) {

    /** One attempt of a delivery: its answer's status code, or the error that kept it from having one. */
    public record Attempt(long applicationId, long deliveryId, long id, OffsetDateTime started, int durationMs, Integer statusCode,
            String error) {
    }
}
