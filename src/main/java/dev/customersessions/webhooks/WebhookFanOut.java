package dev.customersessions.webhooks;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.customersessions.CustomerSessionsConfig;
import dev.customersessions.events.EventLog;
import dev.customersessions.events.EventPosition;
import dev.customersessions.events.StoredEvent;
import dev.customersessions.session.SessionEventKind;
import dev.customersessions.webhooks.WebhookBodies.SessionRead;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Turns the outbox's events into deliveries, exactly once whichever instance runs it: in one short transaction, it
 * takes the cursor row ({@code for update skip locked}: an instance that finds it taken leaves the batch to the one that
 * holds it), reads the next batch of ended transactions' events ({@link EventLog#after}), queues one delivery per event
 * and enabled endpoint of the event's application that wants its kind, with the body built then, and moves the cursor
 * past the batch. A failure rolls all of it back, to be read again. An erasure or deletion of a session takes the
 * session out of its earlier deliveries' bodies, so that the delivery log keeps no copy of it.
 */
@ApplicationScoped
public class WebhookFanOut {

    private static final Logger LOG = Logger.getLogger(WebhookFanOut.class);

    /** The metric of deliveries queued by the fan-out. */
    public static final String QUEUED_METRIC = "customer.sessions.webhook.deliveries.queued";

    @Inject
    EventLog log;

    @Inject
    WebhookEndpointRepository endpoints;

    @Inject
    WebhookDeliveryRepository deliveries;

    @Inject
    WebhookBodies bodies;

    @Inject
    CustomerSessionsConfig config;

    @Inject
    MeterRegistry metrics;

    /** Fans out the next batch, unless another instance holds the cursor; whether a full batch was read (more may wait). */
    public boolean fanOutBatch() {
        int size = config.webhooks().fanOutBatchSize();
        return QuarkusTransaction.requiringNew().call(() -> {
            EventPosition from = deliveries.lockCursor();
            if (from == null) {
                return false;
            }
            EventLog.Batch batch = log.after(from, null, size);
            if (!batch.events().isEmpty()) {
                if (!log.retainsAfter(from)) {
                    LOG.errorf("Webhooks: the outbox's retention deleted events before they were fanned out (the fan-out stood "
                            + "still longer than customer-sessions.events.retention); their deliveries are lost");
                }
                deliveries.forgetSessions(batch.events().stream()
                        .filter(event -> event.kind() == SessionEventKind.ERASED || event.kind() == SessionEventKind.DELETED).toList());
                int queued = deliveries.queue(deliveriesOf(batch.events()));
                metrics.counter(QUEUED_METRIC).increment(queued);
            }
            if (batch.next().compareTo(from) > 0) {
                deliveries.moveCursor(batch.next());
            }
            return batch.events().size() == size;
        });
    }

    private List<WebhookDeliveryRepository.Queued> deliveriesOf(List<StoredEvent> events) {
        Set<Long> applications = events.stream().map(StoredEvent::applicationId).collect(Collectors.toSet());
        Map<Long, List<WebhookEndpoint>> enabled = endpoints.enabledOf(applications);
        Map<Long, SessionRead> sessions = new HashMap<>(); // read once per session and batch: as stored now
        List<WebhookDeliveryRepository.Queued> queued = new ArrayList<>();
        for (StoredEvent event : events) {
            List<WebhookEndpoint> wanting = enabled.getOrDefault(event.applicationId(), List.of()).stream()
                    .filter(endpoint -> endpoint.wants(event.kind())).toList();
            if (wanting.isEmpty()) {
                continue;
            }
            SessionRead session = event.kind() == SessionEventKind.DELETED ? bodies.sessionOf(event)
                    : sessions.computeIfAbsent(event.sessionId(), id -> bodies.sessionOf(event));
            String body = bodies.bodyAfterId(event, session);
            wanting.forEach(endpoint -> queued.add(new WebhookDeliveryRepository.Queued(event, endpoint.id(), body)));
        }
        return queued;
    }
}
