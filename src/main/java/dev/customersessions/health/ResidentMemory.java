package dev.customersessions.health;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.quarkus.runtime.StartupEvent;

/**
 * {@code process_resident_memory_bytes}: the memory the process holds (its resident set, as the kernel counts it), the
 * figure a Kubernetes memory limit is measured against, on the JVM and in the native image alike. Micrometer's JVM
 * metrics see the heap and the JVM's other pools, not the whole process. Read from {@code /proc/self/status} on each
 * scrape; on a system without it (not Linux) the metric is left out.
 */
@ApplicationScoped
public class ResidentMemory {

    static final String METRIC = "process.resident.memory";
    private static final Path STATUS = Path.of("/proc/self/status");

    void register(@Observes StartupEvent started, MeterRegistry metrics) {
        if (Files.isReadable(STATUS)) {
            Gauge.builder(METRIC, ResidentMemory::bytes).baseUnit(BaseUnits.BYTES)
                    .description("Resident set size of the process (VmRSS)").register(metrics);
        }
    }

    /** VmRSS of /proc/self/status, which the kernel gives in kB; NaN when it cannot be read. */
    static double bytes() {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("VmRSS:")) {
                    return Double.parseDouble(line.substring("VmRSS:".length()).replace("kB", "").trim()) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // reported as NaN: Prometheus shows the gap
        }
        return Double.NaN;
    }
}
