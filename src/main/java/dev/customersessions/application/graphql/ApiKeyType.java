package dev.customersessions.application.graphql;

import java.time.OffsetDateTime;
import java.util.List;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Type;

import dev.customersessions.application.ApiKey;
import dev.customersessions.application.ApiKeyKind;
import dev.customersessions.application.ApiKeyScope;

/** An API key as served: never its plain value, except once in {@link #key} right after it is created. */
@Type("ApiKey")
@Description("An API key of one application.")
public class ApiKeyType {

    @NonNull
    @Description("The key's id, for revoking it.")
    @Id
    public Long id;

    @NonNull
    @Description("The application the key grants access to.")
    @Id
    public Long applicationId;

    @NonNull
    @Description("SECRET, PUBLISHABLE or RESTRICTED; the key's prefix says the same (cs_sk_, cs_pk_, cs_rk_).")
    public ApiKeyKind kind;

    @NonNull
    @Description("A RESTRICTED key's permissions; empty for the other kinds.")
    public List<@NonNull ApiKeyScope> scopes;

    @NonNull
    @Description("A PUBLISHABLE key's allowed browser origins; empty: any origin.")
    public List<@NonNull String> allowedOrigins;

    @Description("What the key is for, as given when it was created.")
    public String name;

    @NonNull
    @Description("The first characters of the key, to tell keys apart.")
    public String prefix;

    @Description("The plain key: given only in the result of the mutation that created it, null anywhere else. "
            + "Send it as \"Authorization: ApiKey-v1 <key>\".")
    public String key;

    @NonNull
    @Description("When the key was created (UTC).")
    public OffsetDateTime created;

    @Description("When the key was revoked (UTC); null while it is valid.")
    public OffsetDateTime revoked;

    @Description("When the key was last used (UTC, to the minute); null if never.")
    public OffsetDateTime lastUsed;

    static ApiKeyType of(ApiKey apiKey, String plainKey) {
        ApiKeyType type = new ApiKeyType();
        type.id = apiKey.id;
        type.applicationId = apiKey.applicationId;
        type.prefix = apiKey.prefix;
        type.kind = apiKey.kind;
        type.scopes = apiKey.scopes.stream().map(ApiKeyScope::valueOf).toList();
        type.allowedOrigins = List.copyOf(apiKey.allowedOrigins);
        type.name = apiKey.name;
        type.lastUsed = apiKey.lastUsed;
        type.key = plainKey;
        type.created = apiKey.created;
        type.revoked = apiKey.revoked;
        return type;
    }
}
