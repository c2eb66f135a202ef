package dev.customersessions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import dev.customersessions.support.ApplicationSettings;
import dev.customersessions.support.ShutdownTimings;

/**
 * The shutdown timings of kubernetes/base, the ones RollingRestartIT runs, hold together (plain JUnit: kubectl and the
 * packaged application are KubernetesManifestsIT's, which also keeps every overlay on these timings).
 */
class ShutdownTimingsTest {

    /** What a Service's endpoints and every node's proxy may take to drop a pod after its probe says DOWN. */
    private static final Duration PROPAGATION = Duration.ofSeconds(3);
    /** What the JVM needs after the last request to close the pools and exit. */
    private static final Duration TO_SPARE = Duration.ofSeconds(5);

    private final ShutdownTimings timings = ShutdownTimings.deployment();

    @Test
    void theApplicationOutsideKubernetesRunsTheSameTimings() {
        Properties properties = ApplicationSettings.applicationProperties();
        assertEquals(timings.delay(), ShutdownTimings.duration(properties.getProperty("quarkus.shutdown.delay")),
                "quarkus.shutdown.delay: application.properties and kubernetes/base/application.env");
        assertEquals(timings.timeout(), ShutdownTimings.duration(properties.getProperty("quarkus.shutdown.timeout")),
                "quarkus.shutdown.timeout: application.properties and kubernetes/base/application.env");
        assertEquals(null, properties.getProperty("%prod.quarkus.shutdown.delay"));
        assertEquals(null, properties.getProperty("%prod.quarkus.shutdown.timeout"));
    }

    @Test
    void theDelayOutlastsTheProbeAndTheGracePeriodTheWholeShutdown() {
        assertFalse(timings.preStop(), "no preStop pause: the application's delay is the pause RollingRestartIT tests");
        assertTrue(timings.readinessTimeout().compareTo(timings.readinessPeriod()) <= 0, "a probe ends before the next: " + timings);
        assertTrue(timings.delay().compareTo(timings.seenDownWithin().plus(PROPAGATION)) >= 0,
                "the delay covers the probe seeing the pod DOWN (" + timings.seenDownWithin() + ") and its propagation: " + timings);
        assertTrue(timings.grace().compareTo(timings.delay().plus(timings.timeout()).plus(TO_SPARE)) >= 0,
                "the grace period covers delay + timeout + " + TO_SPARE + ": " + timings);
    }
}
