package dev.customersessions.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Signing as the Standard Webhooks specification asks, and the retry schedule. Plain JUnit. */
class WebhookSignatureTest {

    /** The example of the Standard Webhooks specification: secret, id, timestamp and body, and the signature they give. */
    @Test
    void signsAsTheSpecificationsExample() {
        String signature = WebhookSignature.header(List.of("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), "msg_p5jXN8AQM9LWM0D4loKWxJek",
                1614265330, "{\"test\": 2432232314}");
        assertEquals("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", signature);
    }

    @Test
    void twoSecretsGiveTwoSignaturesSeparatedByASpace() {
        String header = WebhookSignature.header(List.of(WebhookSignature.newSecret(), WebhookSignature.newSecret()), "1", 1, "{}");
        String[] signatures = header.split(" ");
        assertEquals(2, signatures.length);
        assertTrue(signatures[0].startsWith("v1,") && signatures[1].startsWith("v1,"));
        assertNotEquals(signatures[0], signatures[1]);
    }

    @Test
    void secretsAre32RandomBytesInBase64AfterWhsec() {
        String secret = WebhookSignature.newSecret();
        assertTrue(secret.matches("whsec_[A-Za-z0-9+/]{43}="), secret);
        assertNotEquals(secret, WebhookSignature.newSecret());
    }

    /** Eight attempts two minutes apart at first, doubling, take about four hours; each wait varies by up to a quarter. */
    @Test
    void retriesBackOffExponentiallyOverAboutFourHours() {
        Duration base = Duration.ofMinutes(2);
        Duration max = Duration.ofHours(2);
        assertEquals(Duration.ofMinutes(2), WebhookDeliveryWorker.backoff(1, base, max, 0.5));
        assertEquals(Duration.ofMinutes(4), WebhookDeliveryWorker.backoff(2, base, max, 0.5));
        assertEquals(Duration.ofSeconds(90), WebhookDeliveryWorker.backoff(1, base, max, 0.0));
        assertEquals(Duration.ofSeconds(150), WebhookDeliveryWorker.backoff(1, base, max, 1.0));
        assertEquals(Duration.ofHours(2), WebhookDeliveryWorker.backoff(20, base, max, 0.5), "at most backoff-max");
        Duration total = Duration.ZERO;
        for (int attempt = 1; attempt < 8; attempt++) {
            total = total.plus(WebhookDeliveryWorker.backoff(attempt, base, max, 0.5));
        }
        assertEquals(Duration.ofMinutes(2 + 4 + 8 + 16 + 32 + 64 + 120), total, "from the first attempt to the eighth: 4 h 6 min");
    }
}
