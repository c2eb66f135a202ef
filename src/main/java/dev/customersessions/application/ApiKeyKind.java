package dev.customersessions.application;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Enum;

/** The three kinds of API keys; the kind shows in the key's prefix, so that a leaked key is recognisable. */
@Enum("ApiKeyKind")
@Description("What an API key may do. SECRET: everything on the application's sessions, for the shop's servers (prefix "
        + "cs_sk_). RESTRICTED: a secret key limited to its scopes (prefix cs_rk_). PUBLISHABLE: made to sit in a web page; it "
        + "starts sessions and reaches only those whose session token it presents (prefix cs_pk_).")
public enum ApiKeyKind {
    SECRET("cs_sk_"),
    PUBLISHABLE("cs_pk_"),
    RESTRICTED("cs_rk_");

    private final String prefix;

    ApiKeyKind(String prefix) {
        this.prefix = prefix;
    }

    /** The first characters of every key of this kind. */
    public String prefix() {
        return prefix;
    }

    /** Whether a key of this kind belongs on the shop's servers (it must never reach a browser). */
    public boolean isServerKey() {
        return this != PUBLISHABLE;
    }
}
