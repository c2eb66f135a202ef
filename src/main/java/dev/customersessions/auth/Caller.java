package dev.customersessions.auth;

import java.util.Locale;
import java.util.Optional;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

import dev.customersessions.CustomerSessionsConfig;
import dev.customersessions.application.ApiKeyGrant;
import dev.customersessions.application.ApiKeyKind;
import dev.customersessions.application.ApiKeyRepository;
import dev.customersessions.application.ApiKeyScope;
import dev.customersessions.application.Invalidations;
import dev.customersessions.application.KeyHashing;
import dev.customersessions.application.Origins;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;

/**
 * Who is calling, from the {@code Authorization} header of the current HTTP request, and what they may do:
 * {@code ApiKey-v1 <key>} for one application's sessions (a secret, restricted or publishable key, see
 * {@link ApiKeyKind}), {@code ManagementKey-v1 <key>} for management. Resolved once per request; API keys through
 * {@link Invalidations#apiKeys()}, so that most requests read no key.
 *
 * <p>Server keys (secret, restricted, management) are refused on a request from a web page of another origin (an
 * {@code Origin} header other than the service's own), so that a secret key pasted into a page fails at once; a
 * publishable key with allowed origins is refused from any other.
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

    @Inject
    KeyUsage usage;

    private ApiKeyGrant grant;
    private Optional<ApiKeyGrant> presented;

    /** The API key of this request, whatever its kind; an authentication error without a valid one. */
    public ApiKeyGrant apiKey() {
        if (grant == null) {
            if (credentials(API_KEY_SCHEME).isEmpty()) {
                throw new AuthenticationFailedException("This operation needs an API key: send the header \"Authorization: ApiKey-v1 <key>\"");
            }
            ApiKeyGrant found = presentedKey()
                    .orElseThrow(() -> new AuthenticationFailedException("The API key is unknown or revoked"));
            checkOrigin(found);
            usage.used(found.keyId());
            grant = found;
        }
        return grant;
    }

    /** The grant of the key in the request, if it is a valid API key; nothing is refused or recorded here. */
    public Optional<ApiKeyGrant> presentedKey() {
        if (presented == null) {
            presented = credentials(API_KEY_SCHEME).flatMap(this::knownKey);
        }
        return presented;
    }

    private Optional<ApiKeyGrant> knownKey(String key) {
        String hash = KeyHashing.sha256Hex(key);
        return invalidations.apiKeys().get(hash, () -> QuarkusTransaction.joiningExisting()
                .call(() -> apiKeys.findByHash(hash)).filter(k -> k.revoked == null).map(ApiKeyGrant::of));
    }

    /** The application of the request's API key, whatever its kind. */
    public long applicationId() {
        return apiKey().applicationId();
    }

    /**
     * The application of a secret key, or of a restricted key with the scope: for what only the shop's servers may do.
     * A publishable key, or a restricted key without the scope, is refused.
     */
    public long require(ApiKeyScope scope, String what) {
        ApiKeyGrant key = apiKey();
        if (!key.allows(scope)) {
            throw new ForbiddenException(key.kind() == ApiKeyKind.PUBLISHABLE
                    ? what + " needs a secret key: it is for the shop's server, not for a web page"
                    : what + " needs the scope " + scope + ", which this restricted key does not have");
        }
        return key.applicationId();
    }

    /**
     * Access to one session for an operation a web page may do on its own session: a secret key (or a restricted one
     * with the scope) reaches any session of its application; a publishable key only the session whose token it
     * presents (a missing token reaches none).
     */
    public SessionKey session(ApiKeyScope scope, String what, String sessionToken) {
        ApiKeyGrant key = apiKey();
        if (key.kind() == ApiKeyKind.PUBLISHABLE) {
            return new SessionKey(key.applicationId(), key.kind(), SessionTokens.hashOf(sessionToken));
        }
        require(scope, what);
        return new SessionKey(key.applicationId(), key.kind(), null);
    }

    /**
     * The application and kind of key a session operation runs for, and the hash of the session token it must match
     * (null: any session of the application).
     */
    public record SessionKey(long applicationId, ApiKeyKind kind, String requiredTokenHash) {
        public boolean publishable() {
            return kind == ApiKeyKind.PUBLISHABLE;
        }
    }

    /**
     * The application of an operation that both the shop's server and management may call. With the management key:
     * the application the request names ({@code named}; null when it names none, which the operation refuses as it
     * refuses any other input). With an API key: the key's own application, for a secret key or a restricted one with
     * the scope (a publishable key is refused); naming another application is refused, since a key reaches only its
     * own.
     */
    public Long applicationOrManaged(ApiKeyScope scope, String what, Long named) {
        if (credentials(MANAGEMENT_KEY_SCHEME).isPresent()) {
            requireManagementKey();
            return named;
        }
        return ownApplication(require(scope, what), what, named);
    }

    /**
     * The application of a management operation that an application's own secret key may do too (its webhooks): with
     * the management key, the application the request names ({@code named}, null when it names none: any application,
     * or a refusal, as the operation decides); with a secret key, its own application. Restricted and publishable keys
     * are refused (no scope grants it), and so is a secret key naming another application.
     */
    public Long secretKeyOrManaged(String what, Long named) {
        if (credentials(MANAGEMENT_KEY_SCHEME).isPresent()) {
            requireManagementKey();
            return named;
        }
        ApiKeyGrant key = apiKey();
        if (key.kind() != ApiKeyKind.SECRET) {
            throw new ForbiddenException(what + " needs a secret key or the management key"
                    + (key.kind() == ApiKeyKind.PUBLISHABLE ? ": it is for the shop's server, not for a web page" : ": no scope of a restricted key allows it"));
        }
        return ownApplication(key.applicationId(), what, named);
    }

    private static long ownApplication(long own, String what, Long named) {
        if (named != null && named != own) {
            throw new ForbiddenException(what + " with an API key reaches only the key's own application: leave applicationId out");
        }
        return own;
    }

    /** Passes when the request carries the management key; an authentication error otherwise. */
    public void requireManagementKey() {
        String key = credentials(MANAGEMENT_KEY_SCHEME)
                .orElseThrow(() -> new AuthenticationFailedException(
                        "This operation needs the management key: send the header \"Authorization: ManagementKey-v1 <key>\""));
        if (!KeyHashing.sameSecret(key, config.managementKey())) {
            throw new AuthenticationFailedException("The management key is wrong");
        }
        foreignOrigin().ifPresent(origin -> {
            throw serverKeyInBrowser("The management key", origin);
        });
    }

    /**
     * Whose Idempotency-Keys this request's are: {@code application:<id>} for a secret key (every secret key of the
     * application may do all the others may), {@code application:<id>:key:<keyId>} for a restricted key (so that it
     * replays nothing another key did), {@code management} for the management key; empty without valid credentials
     * (the request then fails on its own). Publishable keys take no Idempotency-Key.
     */
    public Optional<String> idempotencyScope() {
        try {
            if (credentials(API_KEY_SCHEME).isPresent()) {
                ApiKeyGrant key = apiKey();
                return switch (key.kind()) {
                    case SECRET -> Optional.of("application:" + key.applicationId());
                    case RESTRICTED -> Optional.of("application:" + key.applicationId() + ":key:" + key.keyId());
                    case PUBLISHABLE -> Optional.empty();
                };
            }
            if (credentials(MANAGEMENT_KEY_SCHEME).isPresent()) {
                requireManagementKey();
                return Optional.of("management");
            }
        } catch (AuthenticationFailedException | ForbiddenException e) {
            // answered by the operation itself
        }
        return Optional.empty();
    }

    /** Whether the request carries the valid management key (which is not rate limited). */
    public boolean presentsManagementKey() {
        return credentials(MANAGEMENT_KEY_SCHEME).filter(key -> KeyHashing.sameSecret(key, config.managementKey())).isPresent();
    }

    private void checkOrigin(ApiKeyGrant key) {
        Optional<String> origin = foreignOrigin();
        if (origin.isEmpty()) {
            return;
        }
        if (key.kind().isServerKey()) {
            throw serverKeyInBrowser("A " + key.kind().name().toLowerCase(Locale.ROOT) + " API key", origin.get());
        }
        if (!key.allowedOrigins().isEmpty() && !Origins.normalized(origin.get()).filter(key.allowedOrigins()::contains).isPresent()) {
            throw new ForbiddenException("This publishable key may not be used from the origin " + origin.get()
                    + ": add it to the key's allowedOrigins");
        }
    }

    private static ForbiddenException serverKeyInBrowser(String key, String origin) {
        return new ForbiddenException(key + " was sent from a web page (Origin " + origin + "). Server keys must never reach "
                + "a browser: use a publishable key in the page, and keep secret keys on the shop's server");
    }

    /**
     * The request's {@code Origin} when it is a page of another origin than the service's own (whose own page,
     * GraphiQL, may use any key); empty for non-browser clients and same-origin pages.
     */
    private Optional<String> foreignOrigin() {
        HttpServerRequest http = request.getCurrent() == null ? null : request.getCurrent().request();
        String origin = http == null ? null : http.getHeader("Origin");
        if (origin == null) {
            return Optional.empty();
        }
        Optional<String> normalized = Origins.normalized(origin);
        HostAndPort authority = http.authority();
        boolean same = normalized.isPresent() && authority != null && Origins.sameAuthority(normalized.get(), authority.host(), authority.port());
        return same ? Optional.empty() : Optional.of(origin);
    }

    /**
     * Takes the credentials from a WebSocket connection's connection_init payload rather than the (upgrade) request's
     * headers, which a browser cannot set: for the rest of this request context.
     */
    public void useConnectionCredentials(String authorization) {
        connectionAuthorization = authorization == null ? "" : authorization;
        grant = null;
        presented = null;
    }

    private String connectionAuthorization;

    private Optional<String> credentials(String scheme) {
        String header = connectionAuthorization != null ? connectionAuthorization
                : request.getCurrent() == null ? null : request.getCurrent().request().getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, scheme, 0, scheme.length())) {
            return Optional.empty();
        }
        String value = header.substring(scheme.length()).trim();
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }
}
