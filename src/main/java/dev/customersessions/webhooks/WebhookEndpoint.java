package dev.customersessions.webhooks;

import java.time.OffsetDateTime;
import java.util.List;

import dev.customersessions.session.SessionEventKind;

/**
 * An application's webhook endpoint as stored, without its signing secret (which only the delivery worker and the
 * answers of create and rotate see).
 *
 * @param eventKinds the kinds sent to it; empty: all
 */
public record WebhookEndpoint(long applicationId, long id, String url, List<SessionEventKind> eventKinds, boolean enabled,
        OffsetDateTime created, OffsetDateTime updated) {

    /** Whether an event of this kind goes to the endpoint (when it is enabled). */
    public boolean wants(SessionEventKind kind) {
        return eventKinds.isEmpty() || eventKinds.contains(kind);
    }

    /** An endpoint with the plain value of the secret just made for it: shown once, in the answer that made it. */
    public record WithSecret(WebhookEndpoint endpoint, String secret) {
    }
}
