package dev.customersessions.auth;

import java.util.Optional;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

import dev.customersessions.CustomerSessionsConfig;
import dev.customersessions.application.ApiKeyRepository;
import dev.customersessions.cache.Invalidations;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;

/**
 * Who is calling, from the {@code Authorization} header of the current HTTP request:
 * {@code ApiKey-v1 <key>} for one application's sessions, {@code ManagementKey-v1 <key>} for management.
 * Resolved once per request; API keys through {@link Invalidations#apiKeys()}, so that most requests read no key.
 */
@RequestScoped
public class Caller {

    static final String API_KEY_SCHEME = "ApiKey-v1 ";
    static final String MANAGEMENT_KEY_SCHEME = "ManagementKey-v1 ";

    @Inject
    CurrentVertxRequest request;

    @Inject
    ApiKeyRepository apiKeys;

    @Inject
    CustomerSessionsConfig config;

    @Inject
    Invalidations invalidations;

    private Long applicationId;

    /** The application whose API key authenticated this request; an authentication error otherwise. */
    public long applicationId() {
        if (applicationId == null) {
            String key = credentials(API_KEY_SCHEME)
                    .orElseThrow(() -> new AuthenticationFailedException(
                            "This operation needs an API key: send the header \"Authorization: ApiKey-v1 <key>\""));
            String hash = KeyHashing.sha256Hex(key);
            applicationId = invalidations.apiKeys().get(hash, () -> QuarkusTransaction.joiningExisting()
                    .call(() -> apiKeys.findByHash(hash)).filter(k -> k.revoked == null).map(k -> k.applicationId))
                    .orElseThrow(() -> new AuthenticationFailedException("The API key is unknown or revoked"));
        }
        return applicationId;
    }

    /** Passes when the request carries the management key; an authentication error otherwise. */
    public void requireManagementKey() {
        String key = credentials(MANAGEMENT_KEY_SCHEME)
                .orElseThrow(() -> new AuthenticationFailedException(
                        "This operation needs the management key: send the header \"Authorization: ManagementKey-v1 <key>\""));
        if (!KeyHashing.sameSecret(key, config.managementKey())) {
            throw new AuthenticationFailedException("The management key is wrong");
        }
    }

    /**
     * Whose Idempotency-Keys this request's are: {@code application:<id>} for a valid API key, {@code management} for
     * the management key; empty without valid credentials (the request then fails on its own).
     */
    public Optional<String> idempotencyScope() {
        try {
            if (credentials(API_KEY_SCHEME).isPresent()) {
                return Optional.of("application:" + applicationId());
            }
            if (credentials(MANAGEMENT_KEY_SCHEME).isPresent()) {
                requireManagementKey();
                return Optional.of("management");
            }
        } catch (AuthenticationFailedException e) {
            // answered by the operation itself
        }
        return Optional.empty();
    }

    private Optional<String> credentials(String scheme) {
        String header = request.getCurrent() == null ? null : request.getCurrent().request().getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, scheme, 0, scheme.length())) {
            return Optional.empty();
        }
        String value = header.substring(scheme.length()).trim();
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }
}
