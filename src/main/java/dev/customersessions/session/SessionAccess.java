package dev.customersessions.session;

/**
 * Which session a write may reach and what it records: the token hash the session must carry (null: any session of the
 * application), whether a missing session may be created, the token hash a created session gets (null: none), and the
 * kind of key that writes (recorded as the cart's setter when the cart changes).
 */
public record SessionAccess(String requiredTokenHash, boolean mayCreate, String newTokenHash, String keyKind) {

    /** A server key's access: any session of the application; a missing one is created without a token. */
    public static SessionAccess server(String keyKind) {
        return new SessionAccess(null, true, null, keyKind);
    }
}
