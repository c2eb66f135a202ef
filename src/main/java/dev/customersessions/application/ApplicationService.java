package dev.customersessions.application;

import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import dev.customersessions.application.Invalidations;
import dev.customersessions.application.KeyHashing;
import dev.customersessions.application.Origins;
import dev.customersessions.common.Clock;
import dev.customersessions.common.FieldPath;
import dev.customersessions.common.PageRequest;
import dev.customersessions.common.RefusedException;
import dev.customersessions.common.UserErrorCode;
import dev.customersessions.common.Validation;
import dev.customersessions.idempotency.IdempotentWrites;
import dev.customersessions.idempotency.RequestKey;

/** Applications and their API keys: the management use cases. Each method is one transaction. */
@ApplicationScoped
public class ApplicationService {

    public static final int MAX_NAME_LENGTH = 200;

    @Inject
    ApplicationRepository applications;

    @Inject
    ApiKeyRepository apiKeys;

    @Inject
    Invalidations invalidations;

    @Inject
    IdempotentWrites writes;

    /**
     * A new application and its first API key, whose plain value exists only in the result. Retentions left out (null):
     * open sessions {@value Application#DEFAULT_OPEN_SESSION_RETENTION_DAYS} days, finished ones forever.
     */
    public NewApiKey create(String name, String currency, Boolean cartItemFlattening, RetentionDays openSessions,
            RetentionDays finishedSessions, RequestKey key) {
        return writes.run(key, () -> {
            Validation v = new Validation();
            v.requiredText(name, MAX_NAME_LENGTH, FieldPath.of("input", "name"), "name");
            String code = currency(currency, FieldPath.of("input", "currency"), v);
            checkRetention(openSessions, "openSessionRetentionDays", v);
            checkRetention(finishedSessions, "finishedSessionRetentionDays", v);
            v.throwIfFailed();
            Application application = persistApplication(name, code, Boolean.TRUE.equals(cartItemFlattening));
            if (openSessions != null) {
                application.openSessionRetentionDays = openSessions.days();
            }
            if (finishedSessions != null) {
                application.finishedSessionRetentionDays = finishedSessions.days();
            }
            return issueKey(application, null, ApiKeyKind.SECRET, List.of(), List.of(), null);
        });
    }

    /** Changes the fields given (null leaves a field as it is; a retention given as {@code RetentionDays(null)}: forever). */
    public Application update(long id, String name, String currency, Boolean cartItemFlattening, RetentionDays openSessions,
            RetentionDays finishedSessions, RequestKey key) {
        return writes.run(key, () -> updateApplication(id, name, currency, cartItemFlattening, openSessions, finishedSessions));
    }

    private Application updateApplication(long id, String name, String currency, Boolean cartItemFlattening, RetentionDays openSessions,
            RetentionDays finishedSessions) {
        Validation v = new Validation();
        if (name != null) {
            v.requiredText(name, MAX_NAME_LENGTH, FieldPath.of("input", "name"), "name");
        }
        String code = currency == null ? null : currency(currency, FieldPath.of("input", "currency"), v);
        checkRetention(openSessions, "openSessionRetentionDays", v);
        checkRetention(finishedSessions, "finishedSessionRetentionDays", v);
        v.throwIfFailed();
        Application application = find(id, FieldPath.of("id"));
        boolean changed = false;
        if (name != null && !name.equals(application.name)) {
            application.name = name;
            changed = true;
        }
        if (code != null && !code.equals(application.currency)) {
            application.currency = code;
            changed = true;
        }
        if (cartItemFlattening != null && cartItemFlattening != application.cartItemFlattening) {
            application.cartItemFlattening = cartItemFlattening;
            changed = true;
        }
        if (openSessions != null && !Objects.equals(openSessions.days(), application.openSessionRetentionDays)) {
            application.openSessionRetentionDays = openSessions.days();
            changed = true;
        }
        if (finishedSessions != null && !Objects.equals(finishedSessions.days(), application.finishedSessionRetentionDays)) {
            application.finishedSessionRetentionDays = finishedSessions.days();
            changed = true;
        }
        if (changed) {
            application.updated = Clock.now();
            invalidations.publish(invalidations.settings(), String.valueOf(id));
        }
        return application;
    }

    /** A retention that is set must be whole days within 1..{@value Application#MAX_RETENTION_DAYS}; null days: forever. */
    private static void checkRetention(RetentionDays retention, String field, Validation v) {
        if (retention != null && retention.days() != null
                && (retention.days() < 1 || retention.days() > Application.MAX_RETENTION_DAYS)) {
            v.fail(UserErrorCode.VALIDATION_FAILED, FieldPath.of("input", field), field + " must be whole days from 1 to "
                    + Application.MAX_RETENTION_DAYS + ", or null to keep the sessions forever; got " + retention.days());
        }
    }

    /** At most this many allowed origins on a publishable key. */
    public static final int MAX_ALLOWED_ORIGINS = 20;
    private static final Pattern ORIGIN = Pattern.compile("^https?://[a-z0-9.\\-]+(:[0-9]{1,5})?$");

    /**
     * Issues a key of the given kind: a restricted key needs at least one scope, the other kinds take none; only a
     * publishable key takes allowed origins ({@code scheme://host[:port]}, stored lower case).
     */
    public NewApiKey createApiKey(long applicationId, ApiKeyKind kind, List<ApiKeyScope> scopes, List<String> allowedOrigins, String name,
            RequestKey key) {
        return writes.run(key, () -> newKey(applicationId, kind, scopes, allowedOrigins, name));
    }

    private NewApiKey newKey(long applicationId, ApiKeyKind kind, List<ApiKeyScope> scopes, List<String> allowedOrigins, String name) {
        Validation v = new Validation();
        ApiKeyKind k = kind == null ? ApiKeyKind.SECRET : kind;
        List<ApiKeyScope> s = scopes == null ? List.of() : scopes.stream().distinct().toList();
        if (k == ApiKeyKind.RESTRICTED && s.isEmpty()) {
            v.fail(UserErrorCode.VALIDATION_FAILED, FieldPath.of("input", "scopes"), "a RESTRICTED key needs at least one scope");
        }
        if (k != ApiKeyKind.RESTRICTED && !s.isEmpty()) {
            v.fail(UserErrorCode.VALIDATION_FAILED, FieldPath.of("input", "scopes"), "only a RESTRICTED key has scopes; a " + k
                    + " key " + (k == ApiKeyKind.SECRET ? "may do everything" : "reaches only the sessions whose token it presents"));
        }
        List<String> origins = allowedOrigins == null ? List.of() : allowedOrigins;
        if (k != ApiKeyKind.PUBLISHABLE && !origins.isEmpty()) {
            v.fail(UserErrorCode.VALIDATION_FAILED, FieldPath.of("input", "allowedOrigins"),
                    "only a PUBLISHABLE key has allowed origins: server keys are refused from every web page");
        }
        if (v.maxCount(origins, MAX_ALLOWED_ORIGINS, FieldPath.of("input", "allowedOrigins"), "allowed origins")) {
            for (int i = 0; i < origins.size(); i++) {
                String origin = origins.get(i);
                if (origin == null || origin.length() > 300 || !ORIGIN.matcher(origin.toLowerCase(Locale.ROOT)).matches()
                        || Origins.normalized(origin).isEmpty()) {
                    v.fail(UserErrorCode.VALIDATION_FAILED, FieldPath.of("input", "allowedOrigins").then(i), "origin "
                            + Validation.quoted(origin) + " is not of the form https://shop.example.com[:port] (no path, at most 300 characters)");
                }
            }
        }
        v.optionalText(name, MAX_NAME_LENGTH, FieldPath.of("input", "name"), "name");
        v.throwIfFailed();
        List<String> normalized = origins.stream().map(o -> Origins.normalized(o).orElseThrow()).distinct().toList();
        return issueKey(find(applicationId, FieldPath.of("applicationId")), null, k, s, normalized, name);
    }

    /** Revokes the key; revoking a revoked key changes nothing. */
    public ApiKey revokeApiKey(long id, RequestKey requestKey) {
        return writes.run(requestKey, () -> {
            ApiKey key = apiKeys.findByIdOptional(id).orElseThrow(() -> new RefusedException(UserErrorCode.NOT_FOUND,
                    FieldPath.of("id"), "no API key with id " + id));
            if (key.revoked == null) {
                key.revoked = Clock.now();
                invalidations.publish(invalidations.apiKeys(), key.keyHash);
            }
            return key;
        });
    }

    /** The applications of the page asked for (and one more, if there is), by id. */
    @Transactional
    public List<Application> applications(PageRequest request) {
        return applications.page(request.afterId(), request.fetchSize());
    }

    /** The API keys of an application, revoked ones included, for the page asked for (and one more), by id. */
    @Transactional
    public List<ApiKey> apiKeys(long applicationId, PageRequest request) {
        return apiKeys.page(applicationId, request.afterId(), request.fetchSize());
    }

    @Transactional
    public Optional<Application> findById(long id) {
        return applications.findByIdOptional(id);
    }

    /**
     * Makes sure an application with a secret API key of the given plain value exists: the dev-mode demo data.
     *
     * @return the application the key belongs to
     */
    @Transactional
    public Application ensureApplicationWithKey(String name, String currency, String plainKey) {
        Optional<ApiKey> existing = apiKeys.findByHash(KeyHashing.sha256Hex(plainKey));
        if (existing.isPresent()) {
            return applications.findById(existing.get().applicationId);
        }
        return issueKey(persistApplication(name, currency, false), plainKey, ApiKeyKind.SECRET, List.of(), List.of(), "Demo secret key")
                .application();
    }

    /** Makes sure the application has a publishable key of the given plain value: the dev-mode demo data. */
    @Transactional
    public void ensurePublishableKey(long applicationId, String plainKey) {
        if (apiKeys.findByHash(KeyHashing.sha256Hex(plainKey)).isEmpty()) {
            issueKey(find(applicationId, FieldPath.of("applicationId")), plainKey, ApiKeyKind.PUBLISHABLE, List.of(), List.of(),
                    "Demo publishable key");
        }
    }

    private Application persistApplication(String name, String currency, boolean cartItemFlattening) {
        Application application = new Application();
        application.name = name;
        application.currency = currency;
        application.cartItemFlattening = cartItemFlattening;
        application.openSessionRetentionDays = Application.DEFAULT_OPEN_SESSION_RETENTION_DAYS;
        application.created = Clock.now();
        application.updated = application.created;
        applications.persist(application);
        return application;
    }

    private Application find(long id, FieldPath field) {
        return applications.findByIdOptional(id).orElseThrow(() -> new RefusedException(UserErrorCode.NOT_FOUND,
                field, "no application with id " + id));
    }

    private NewApiKey issueKey(Application application, String plainKey, ApiKeyKind kind, List<ApiKeyScope> scopes,
            List<String> allowedOrigins, String name) {
        String key = plainKey == null ? KeyHashing.newSecret(kind.prefix()) : plainKey;
        ApiKey apiKey = new ApiKey();
        apiKey.kind = kind;
        apiKey.scopes = new ArrayList<>(scopes.stream().map(Enum::name).toList());
        apiKey.allowedOrigins = new ArrayList<>(allowedOrigins);
        apiKey.name = name;
        apiKey.applicationId = application.id;
        apiKey.keyHash = KeyHashing.sha256Hex(key);
        apiKey.prefix = KeyHashing.shownPrefix(key);
        apiKey.created = Clock.now();
        apiKeys.persist(apiKey);
        return new NewApiKey(application, apiKey, key);
    }

    private static String currency(String value, FieldPath field, Validation v) {
        String code = value == null ? "" : value.trim().toUpperCase(Locale.ROOT);
        try {
            if (code.length() == 3) {
                return Currency.getInstance(code).getCurrencyCode();
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        v.fail(UserErrorCode.VALIDATION_FAILED, field, "currency " + Validation.quoted(value) + " is not an ISO 4217 code such as EUR or USD");
        return null;
    }

    /** An API key just issued, with its plain value: shown once, never stored. */
    public record NewApiKey(Application application, ApiKey apiKey, String plainKey) {
    }
}
