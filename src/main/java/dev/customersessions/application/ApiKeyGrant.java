package dev.customersessions.application;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a valid (unrevoked) API key grants: the application, its kind, a restricted key's scopes and a publishable key's
 * allowed origins. Cached per instance by the key's hash.
 */
public record ApiKeyGrant(long keyId, long applicationId, ApiKeyKind kind, Set<ApiKeyScope> scopes, List<String> allowedOrigins) {

    public static ApiKeyGrant of(ApiKey key) {
        return new ApiKeyGrant(key.id, key.applicationId, key.kind,
                key.scopes.stream().map(ApiKeyScope::valueOf).collect(Collectors.toUnmodifiableSet()),
                List.copyOf(key.allowedOrigins));
    }

    /** Whether the key may do what the scope names on any session of its application (never a publishable key). */
    public boolean allows(ApiKeyScope scope) {
        return kind == ApiKeyKind.SECRET || kind == ApiKeyKind.RESTRICTED && scopes.contains(scope);
    }
}
