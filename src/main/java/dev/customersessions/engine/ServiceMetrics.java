package dev.customersessions.engine;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import graphql.ExecutionResult;
import graphql.GraphQLError;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.quarkus.runtime.StartupEvent;

/**
 * What the alerts (docs/alerts.md) need of the GraphQL endpoint and Micrometer does not give: the top-level errors
 * answered over HTTP, by code ({@code customer_sessions_graphql_errors_total{code}}; an answer with 200 and
 * {@code errors} is invisible in the HTTP metrics), every code registered at 0 from the start so that a rate exists
 * before the first error; and latency buckets for {@code http_server_requests_seconds}, so that a p99 can be computed
 * over all instances ({@code histogram_quantile}).
 */
@ApplicationScoped
public class ServiceMetrics {

    /** The counter of top-level errors answered over HTTP, tagged code. */
    public static final String ERRORS_METRIC = "customer.sessions.graphql.errors";

    /** The counters by code; empty until the bean starts (nothing is answered before). */
    private static volatile Map<String, Counter> errors = Map.of();

    /** Latency buckets of the HTTP server's timer: the targets (docs/benchmark.md) and an order of magnitude either side. */
    private static final Duration[] BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
            Duration.ofSeconds(5), Duration.ofSeconds(10)};

    void registerErrors(@Observes StartupEvent started, MeterRegistry registry) {
        Map<String, Counter> counters = new HashMap<>();
        for (String code : ErrorCodes.ALL) {
            counters.put(code, registry.counter(ERRORS_METRIC, "code", code));
        }
        errors = Map.copyOf(counters);
    }

    @Produces
    @Singleton
    MeterFilter httpLatencyBuckets() {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (!id.getName().equals("http.server.requests")) {
                    return config;
                }
                double[] nanos = new double[BUCKETS.length];
                for (int i = 0; i < BUCKETS.length; i++) {
                    nanos[i] = BUCKETS[i].toNanos();
                }
                return DistributionStatisticConfig.builder().serviceLevelObjectives(nanos).build().merge(config);
            }
        };
    }

    /** Counts the errors of an answer by their code (an error without one of ours is counted as INTERNAL: it should not be). */
    static void count(ExecutionResult result) {
        for (GraphQLError error : result.getErrors()) {
            String code = ErrorCodes.codeOf(error);
            count(code != null ? code : ErrorCodes.INTERNAL);
        }
    }

    /** Counts one error answered with this code. */
    static void count(String code) {
        Counter counter = errors.get(code);
        if (counter != null) {
            counter.increment();
        }
    }
}
