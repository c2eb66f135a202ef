package dev.customersessions.auth;

import dev.customersessions.application.KeyHashing;

/**
 * Session tokens: the secret a web page holds for the session it started through a publishable key. 256 random bits,
 * shown once, stored only as their SHA-256.
 */
public final class SessionTokens {

    static final String PREFIX = "cs_st_";

    private SessionTokens() {
    }

    /** A new token. */
    public static String newToken() {
        return KeyHashing.newSecret(PREFIX);
    }

    /** A new integration id for a session the service starts: 128 random bits, so that none can be guessed. */
    public static String newIntegrationId() {
        return KeyHashing.newSecret("cs_s_", 16);
    }

    /**
     * The hash under which a presented token is looked up. A missing token gets the hash of the empty string, which no
     * stored token has: a request without its token reaches no session, exactly as one with a wrong token.
     */
    public static String hashOf(String token) {
        // A token is 49 characters; anything far longer is no token, and is not worth hashing.
        return KeyHashing.sha256Hex(token == null || token.length() > MAX_LENGTH ? "" : token);
    }

    /** The longest text taken for a token; longer ones reach no session. */
    static final int MAX_LENGTH = 200;
}
