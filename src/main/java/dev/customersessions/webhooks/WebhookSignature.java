package dev.customersessions.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signing as the Standard Webhooks specification asks (docs/webhooks.md): the signed content is
 * {@code <webhook-id>.<webhook-timestamp>.<body>}, the key the base64-decoded part of the secret after {@code whsec_},
 * the signature {@code v1,<base64 of its HMAC-SHA256>}; several signatures (during a secret's rotation) are separated by
 * spaces.
 */
public final class WebhookSignature {

    /** The prefix of every signing secret. */
    public static final String SECRET_PREFIX = "whsec_";

    private WebhookSignature() {
    }

    /** A new signing secret: 32 random bytes, base64 (standard alphabet, as the specification's libraries decode it). */
    public static String newSecret() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key); // made per call: the native image may not hold a seeded generator
        return SECRET_PREFIX + Base64.getEncoder().encodeToString(key);
    }

    /** The {@code webhook-signature} header: one {@code v1,<signature>} per secret, separated by spaces. */
    public static String header(List<String> secrets, String webhookId, long timestamp, String body) {
        return secrets.stream().map(secret -> "v1," + sign(secret, webhookId, timestamp, body)).collect(Collectors.joining(" "));
    }

    /** The base64 HMAC-SHA256 of {@code id.timestamp.body} under the secret. */
    public static String sign(String secret, String webhookId, long timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key(secret), "HmacSHA256"));
            byte[] signature = mac.doFinal((webhookId + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(signature);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private static byte[] key(String secret) {
        String encoded = secret.startsWith(SECRET_PREFIX) ? secret.substring(SECRET_PREFIX.length()) : secret;
        return Base64.getDecoder().decode(encoded);
    }
}
