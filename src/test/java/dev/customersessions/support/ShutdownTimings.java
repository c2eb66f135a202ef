package dev.customersessions.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.apps.Deployment;

/**
 * The timings of a rolling restart as a pod of {@code kubernetes/base} runs them: the readiness probe (how soon a
 * stopping pod is seen DOWN), the shutdown delay and timeout its ConfigMap sets ({@code application.env}), and the
 * grace period. {@code RollingRestartIT} runs the instances and the proxy with exactly these; {@code ShutdownTimingsTest}
 * and {@code KubernetesManifestsIT} keep application.properties and every overlay on them, so they cannot drift apart.
 */
public record ShutdownTimings(Duration readinessPeriod, int readinessFailureThreshold, Duration readinessTimeout,
        Duration delay, Duration timeout, Duration grace, boolean preStop) {

    public static final Path DEPLOYMENT = Path.of("kubernetes", "base", "deployment.yaml");
    public static final Path APPLICATION_ENV = Path.of("kubernetes", "base", "application.env");

    /** The timings of kubernetes/base: its Deployment and the settings of its ConfigMap. */
    public static ShutdownTimings deployment() {
        try {
            Deployment deployment = new ObjectMapper(new YAMLFactory()).readValue(DEPLOYMENT.toFile(), Deployment.class);
            return of(deployment.getSpec().getTemplate().getSpec(), applicationEnv());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The timings of a pod spec, with these settings (a ConfigMap's) in place of application.properties' own. */
    public static ShutdownTimings of(PodSpec pod, Map<String, String> environment) {
        Container container = pod.getContainers().get(0);
        Probe readiness = container.getReadinessProbe();
        Properties properties = ApplicationSettings.applicationProperties();
        return new ShutdownTimings(Duration.ofSeconds(orDefault(readiness.getPeriodSeconds(), 10)),
                orDefault(readiness.getFailureThreshold(), 3), Duration.ofSeconds(orDefault(readiness.getTimeoutSeconds(), 1)),
                duration(setting(environment, properties, "quarkus.shutdown.delay")),
                duration(setting(environment, properties, "quarkus.shutdown.timeout")),
                Duration.ofSeconds(orDefault(pod.getTerminationGracePeriodSeconds(), 30L)),
                container.getLifecycle() != null && container.getLifecycle().getPreStop() != null);
    }

    /** The longest a stopping pod can still be taken for ready: every probe of the failure threshold answering DOWN. */
    public Duration seenDownWithin() {
        return readinessPeriod.multipliedBy(readinessFailureThreshold).plus(readinessTimeout);
    }

    /** The settings kubernetes/base/application.env gives every pod (environment variables). */
    public static Map<String, String> applicationEnv() {
        try {
            return Files.readAllLines(APPLICATION_ENV).stream().map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#")).map(line -> line.split("=", 2))
                    .collect(Collectors.toMap(pair -> pair[0], pair -> pair[1]));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A duration as Quarkus reads one: {@code 20S}, {@code 1.5S}, ISO-8601, or plain seconds. */
    public static Duration duration(String value) {
        String text = value.trim().toUpperCase(Locale.ROOT);
        if (text.startsWith("P")) {
            return Duration.parse(text);
        }
        return text.matches("\\d+") ? Duration.ofSeconds(Long.parseLong(text)) : Duration.parse("PT" + text);
    }

    private static String setting(Map<String, String> environment, Properties properties, String property) {
        String value = environment.get(ApplicationSettings.environmentVariableOf(property));
        if (value == null) { // the packaged application runs in the production profile
            value = properties.getProperty("%prod." + property, properties.getProperty(property));
        }
        return Objects.requireNonNull(value, property + " is set");
    }

    private static <T> T orDefault(T value, T kubernetesDefault) {
        return value != null ? value : kubernetesDefault;
    }
}
