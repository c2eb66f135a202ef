package dev.customersessions.application;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** Making API keys and session tokens, and the one-way hash under which they are stored and looked up. */
public final class KeyHashing {

    /** How many leading characters of a key are kept in clear, so that people can tell keys apart. */
    public static final int SHOWN_PREFIX_LENGTH = 10;

    private KeyHashing() {
    }

    /** A new random secret of 256 bits, URL-safe, after the given prefix. */
    public static String newSecret(String prefix) {
        return newSecret(prefix, 32);
    }

    /**
     * A new random secret of the given number of bytes, URL-safe, after the given prefix. The generator is made per
     * call, not kept in a static field: the native image initialises this class at build time, and a seeded generator
     * may not be part of the image.
     */
    public static String newSecret(String prefix, int bytesOfRandom) {
        byte[] bytes = new byte[bytesOfRandom];
        new SecureRandom().nextBytes(bytes);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static String sha256Hex(String key) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    public static String shownPrefix(String key) {
        return key.substring(0, Math.min(SHOWN_PREFIX_LENGTH, key.length()));
    }

    /** Compares two secrets in time independent of where they differ. */
    public static boolean sameSecret(String presented, String expected) {
        return MessageDigest.isEqual(sha256Hex(presented).getBytes(StandardCharsets.UTF_8),
                sha256Hex(expected).getBytes(StandardCharsets.UTF_8));
    }
}
