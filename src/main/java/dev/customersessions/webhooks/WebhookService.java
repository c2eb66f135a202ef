package dev.customersessions.webhooks;

import java.net.UnknownHostException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.customersessions.CustomerSessionsConfig;
import dev.customersessions.application.ApplicationService;
import dev.customersessions.common.Clock;
import dev.customersessions.common.FieldPath;
import dev.customersessions.common.InvalidArgumentException;
import dev.customersessions.common.PageRequest;
import dev.customersessions.common.RefusedException;
import dev.customersessions.common.UserErrorCode;
import dev.customersessions.common.Validation;
import dev.customersessions.idempotency.IdempotentWrites;
import dev.customersessions.idempotency.RequestKey;
import dev.customersessions.session.SessionEventKind;
import dev.customersessions.webhooks.WebhookAddresses.AddressRefusedException;
import dev.customersessions.webhooks.WebhookEndpoint.WithSecret;

/**
 * The management of webhooks (docs/webhooks.md): an application's endpoints, their delivery log, and redelivery. Each
 * write is one transaction ({@link IdempotentWrites#run}); a refusal throws {@link RefusedException} and stores nothing.
 * {@code scope} is the application a caller reaches (its API key's), or null for the management key, which reaches all.
 */
@ApplicationScoped
public class WebhookService {

    /** The most endpoints one application has. */
    public static final int MAX_ENDPOINTS = 20;

    /** How long the secret a rotation replaced keeps signing deliveries beside the new one. */
    public static final Duration PREVIOUS_SECRET_SIGNS_FOR = Duration.ofHours(24);

    /** The newest attempts of a delivery the log shows. */
    public static final int ATTEMPTS_SHOWN = 25;

    @Inject
    WebhookEndpointRepository endpoints;

    @Inject
    WebhookDeliveryRepository deliveries;

    @Inject
    ApplicationService applications;

    @Inject
    IdempotentWrites writes;

    @Inject
    CustomerSessionsConfig config;

    /**
     * A new endpoint of the application, enabled unless said otherwise, with a new signing secret (shown once).
     *
     * @param applicationId null when a management caller named none (refused)
     */
    public WithSecret create(Long applicationId, String url, List<SessionEventKind> kinds, Boolean enabled, RequestKey key) {
        String urlProblem = urlProblem(url); // the host is resolved before the transaction begins
        return writes.run(key, () -> {
            Validation v = new Validation();
            if (applicationId == null) {
                v.fail(UserErrorCode.VALIDATION_FAILED, FieldPath.of("applicationId"), "applicationId is required with the management key");
            }
            if (urlProblem != null) {
                v.fail(UserErrorCode.VALIDATION_FAILED, FieldPath.of("input", "url"), urlProblem);
            }
            v.throwIfFailed();
            if (applications.findById(applicationId).isEmpty()) {
                throw new RefusedException(UserErrorCode.NOT_FOUND, FieldPath.of("applicationId"), "no application with id " + applicationId);
            }
            if (endpoints.count(applicationId) >= MAX_ENDPOINTS) {
                throw new RefusedException(UserErrorCode.LIMIT_EXCEEDED, null, "an application has at most " + MAX_ENDPOINTS
                        + " webhook endpoints: delete one, or send more event kinds to one");
            }
            String secret = WebhookSignature.newSecret();
            OffsetDateTime now = Clock.now();
            return new WithSecret(endpoints.insert(applicationId, url, kinds(kinds), enabled == null || enabled, secret, now), secret);
        });
    }

    /** Changes the fields given (null leaves a field as it is; kinds given as []: all kinds). */
    public WebhookEndpoint update(Long scope, long id, String url, List<SessionEventKind> kinds, Boolean enabled, RequestKey key) {
        String urlProblem = url == null ? null : urlProblem(url);
        return writes.run(key, () -> {
            if (urlProblem != null) {
                throw new RefusedException(UserErrorCode.VALIDATION_FAILED, FieldPath.of("input", "url"), urlProblem);
            }
            WebhookEndpoint found = lock(scope, id);
            WebhookEndpoint changed = new WebhookEndpoint(found.applicationId(), found.id(), url == null ? found.url() : url,
                    kinds == null ? found.eventKinds() : kinds(kinds), enabled == null ? found.enabled() : enabled, found.created(),
                    Clock.now());
            boolean same = changed.url().equals(found.url()) && changed.eventKinds().equals(found.eventKinds())
                    && changed.enabled() == found.enabled();
            return same ? found : endpoints.update(changed);
        });
    }

    /** A new signing secret (shown once); the one it replaces signs too for {@link #PREVIOUS_SECRET_SIGNS_FOR}. */
    public WithSecret rotateSecret(Long scope, long id, RequestKey key) {
        return writes.run(key, () -> {
            WebhookEndpoint found = lock(scope, id);
            String secret = WebhookSignature.newSecret();
            OffsetDateTime now = Clock.now();
            return new WithSecret(endpoints.rotate(found, secret, now, now.plus(PREVIOUS_SECRET_SIGNS_FOR)), secret);
        });
    }

    /** Deletes the endpoint with its deliveries (those not yet delivered are dropped); the endpoint as it was. */
    public WebhookEndpoint delete(Long scope, long id, RequestKey key) {
        return writes.run(key, () -> {
            WebhookEndpoint found = lock(scope, id);
            endpoints.delete(found);
            return found;
        });
    }

    /** Queues a delivered or failed delivery again, under its id; a pending one is answered as it is. */
    public WebhookDelivery redeliver(Long scope, long deliveryId, RequestKey key) {
        return writes.run(key, () -> deliveries.redeliver(scope, deliveryId).orElseThrow(() -> new RefusedException(UserErrorCode.NOT_FOUND,
                FieldPath.of("deliveryId"), "no webhook delivery with id " + deliveryId)));
    }

    /** The application's endpoints of the page asked for (and one more, if there is), by id. */
    public List<WebhookEndpoint> endpoints(Long applicationId, PageRequest page) {
        if (applicationId == null) {
            throw new InvalidArgumentException("applicationId is required with the management key");
        }
        return endpoints.page(applicationId, page.afterId(), page.fetchSize());
    }

    /**
     * The endpoint's deliveries of the page asked for (and one more), newest first, of one status or (null) all; none
     * when there is no such endpoint in the scope.
     */
    public List<WebhookDelivery> deliveries(Long scope, long endpointId, WebhookDeliveryStatus status, PageRequest page) {
        return endpoints.find(scope, endpointId).map(endpoint -> deliveries.page(endpoint, status, page.afterId(), page.fetchSize()))
                .orElse(List.of());
    }

    /** The newest {@value #ATTEMPTS_SHOWN} attempts of each delivery, newest first, in the deliveries' order. */
    public List<List<WebhookDelivery.Attempt>> attemptsOf(List<WebhookDelivery> of) {
        Map<Long, List<WebhookDelivery.Attempt>> byDelivery = new LinkedHashMap<>();
        of.forEach(delivery -> byDelivery.put(delivery.id(), new ArrayList<>()));
        if (!of.isEmpty()) {
            deliveries.attemptsOf(of, ATTEMPTS_SHOWN).forEach(attempt -> byDelivery.get(attempt.deliveryId()).add(attempt));
        }
        return of.stream().map(delivery -> byDelivery.get(delivery.id())).toList();
    }

    private WebhookEndpoint lock(Long scope, long id) {
        return endpoints.lock(scope, id).orElseThrow(() -> new RefusedException(UserErrorCode.NOT_FOUND, FieldPath.of("id"),
                "no webhook endpoint with id " + id));
    }

    private static List<SessionEventKind> kinds(List<SessionEventKind> kinds) {
        return kinds == null ? List.of() : kinds.stream().filter(Objects::nonNull).distinct().sorted().toList();
    }

    /**
     * Why an endpoint may not have the URL, or null when it may: its form, and the addresses its host resolves to now
     * (a host without an address is accepted: its deliveries fail until it has one, and say so in the log).
     */
    private String urlProblem(String url) {
        if (url != null && !Validation.isStorable(url)) {
            return "url must be valid Unicode without the NUL character";
        }
        String[] problem = new String[1];
        WebhookAddresses.Target target = WebhookAddresses.parse(url, problem);
        if (target == null) {
            return problem[0];
        }
        try {
            WebhookAddresses.resolve(target.host(), config.webhooks().allowPrivateAddresses());
        } catch (UnknownHostException e) {
            return null;
        } catch (AddressRefusedException e) {
            return e.getMessage();
        }
        return null;
    }
}
