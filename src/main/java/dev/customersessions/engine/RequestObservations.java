package dev.customersessions.engine;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.customersessions.CustomerSessionsConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.Tracer;
import io.vertx.ext.web.RoutingContext;

/**
 * What every GraphQL request over HTTP leaves for operators: the timer {@value #METRIC} (tags {@code operation},
 * {@code type}, {@code outcome}) and, when traces are on ({@link TracingSwitch}), a span named by the operation. Each
 * request's part is a {@link RequestObservation}, begun by {@link GraphQLHttpHandler} and told the operation by
 * {@link OperationObserver}.
 *
 * <p>Operation names are chosen by clients, so the tag is bounded ({@link OperationNames}): the first
 * {@code customer-sessions.metrics.operation-names} distinct names this instance sees are kept (each cut to
 * {@value #MAX_NAME_LENGTH} characters), any later one counts as {@value #OTHER}. A request without a name counts as {@value #ANONYMOUS}; one refused before an operation was chosen
 * (HTTP-level refusals, syntax and validation errors) as {@value #NONE}, of type {@value #NONE}.
 */
@ApplicationScoped
public class RequestObservations {

    static final String METRIC = "customer.sessions.graphql.requests";
    static final int MAX_NAME_LENGTH = 64;
    static final String ANONYMOUS = "anonymous";
    static final String OTHER = "other";
    static final String NONE = "none";
    static final String SUCCESS = "success";
    /** Histogram buckets for p99 across instances: a handful, so that each operation's series stay few. */
    private static final Duration[] BUCKETS = { Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10) };

    @Inject
    MeterRegistry metrics;

    @Inject
    CustomerSessionsConfig config;

    @Inject
    Instance<Tracer> tracer;

    @ConfigProperty(name = TracingSwitch.SDK_DISABLED, defaultValue = "true")
    boolean tracingOff;

    private OperationNames operationNames;

    @PostConstruct
    void start() {
        operationNames = new OperationNames(config.metrics().operationNames());
    }

    /** Begins the observation of the request that runs now; it ends with the answer ({@link RequestObservation#finish}). */
    RequestObservation begin(RoutingContext context) {
        RequestObservation observation = new RequestObservation(this, tracingOff ? null : tracer.get());
        context.put(RequestObservation.CONTEXT_KEY, observation);
        return observation;
    }

    void record(String operation, String type, String outcome, long nanos) {
        Timer.builder(METRIC).description("GraphQL requests over HTTP, by operation name, type and outcome (success or the error code)")
                .tags("operation", operation, "type", type, "outcome", outcome).serviceLevelObjectives(BUCKETS)
                .register(metrics).record(Duration.ofNanos(nanos));
    }

    String operationTag(String name) {
        return operationNames.tag(name);
    }

    /** Names of operations as tag values: at most a number of distinct ones. */
    static final class OperationNames {
        private final Set<String> kept = ConcurrentHashMap.newKeySet();
        private final int max;

        OperationNames(int max) {
            this.max = max;
        }

        /** The name (cut to {@value #MAX_NAME_LENGTH}) while fewer than the maximum are kept, else {@value #OTHER}. */
        String tag(String name) {
            if (name == null || name.isEmpty()) {
                return ANONYMOUS;
            }
            String cut = name.length() > MAX_NAME_LENGTH ? name.substring(0, MAX_NAME_LENGTH) : name;
            if (kept.contains(cut)) {
                return cut;
            }
            // Not atomic with the add: threads racing here may pass the maximum by a few names, never by many.
            if (kept.size() < max) {
                kept.add(cut);
                return cut;
            }
            return OTHER;
        }
    }
}
