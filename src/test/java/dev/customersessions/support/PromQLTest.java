package dev.customersessions.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;

import org.junit.jupiter.api.Test;

class PromQLTest {

    @Test
    void namesTheMetricsAndNothingElse() {
        assertEquals(Set.of("errors_total", "http_server_requests_seconds_count"), PromQL.metricNames("""
                sum(rate(errors_total{code="INTERNAL"}[5m])) / sum by (pod) (rate(http_server_requests_seconds_count{uri="/graphql"}[5m])) > 0.01"""));
        assertEquals(Set.of("http_server_requests_seconds_bucket"), PromQL.metricNames(
                "histogram_quantile(0.99, sum by (le) (rate(http_server_requests_seconds_bucket[5m] offset 1h))) > 0.5"));
        assertEquals(Set.of("a", "b", "up"), PromQL.metricNames(
                "max by (pod) (a / on(pod) group_left(node) b) > 1e3 and up{job=~\"x{2}-(y)\"} == 0 unless absent(a)"));
        assertEquals(Set.of("kube_pod_status_ready"), PromQL.metricNames(
                "kube_pod_status_ready{condition=\"false\", pod=~\"customer-sessions-[a-z0-9]{9,10}\"} == bool 1"));
    }
}
