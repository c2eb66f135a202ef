package dev.customersessions.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import dev.customersessions.bench.SessionBenchmark.FirstMinute;
import dev.customersessions.bench.SessionBenchmark.Result;
import dev.customersessions.bench.SessionBenchmark.Scenario;
import dev.customersessions.bench.SessionBenchmark.Service;

/**
 * The side-by-side benchmark's report: per system and scenario the median over the runs and the runs' spread (each
 * run's figure is the median of its rounds), the service's ratios to the floor and to the peer as the median of the
 * per-run ratios, the p99 of every run, start-up and memory, and the targets with their measured figures.
 */
final class SideBySideReport {

    private static final String SERVICE = SessionBenchmark.SERVICE;
    private static final String FLOOR = SessionBenchmark.FLOOR;
    private static final double MB = 1_000_000;

    private final List<Scenario> scenarios;
    /** system → scenario → one result per run, in run order. */
    private final Map<String, Map<Scenario, List<Result>>> results = new LinkedHashMap<>();
    private final List<String> header = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private long serviceStartMillis = -1;
    private long otherStartMillis = -1;
    private long serviceKiB = -1;
    private FirstMinute serviceWarm;
    private FirstMinute peerWarm;
    private int clients;

    SideBySideReport(List<Scenario> scenarios) {
        this.scenarios = scenarios;
    }

    void header(String machine, String database, int clients) {
        this.clients = clients;
        header.add("customer-sessions side-by-side benchmark, " + java.time.LocalDate.now());
        header.add("machine: " + machine + "; the service, PostgreSQL, PostGraphile and this load generator share them");
        header.add("Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ", " + System.getProperty("java.vendor") + ")");
        header.add("database: " + database);
        header.add(String.format(Locale.ROOT, "%d concurrent clients; %d runs, each measuring every scenario on every system in turn, the system "
                + "that goes first rotating; per system, scenario and run: %d rounds of %d ms after %d ms of warm-up, the run's figure the "
                + "median of its rounds; below, the median over the runs and their spread (min-max); p50/p99 under that load; statements "
                + "per request counted by PostgreSQL in the first run (+ BEGIN/COMMIT)", clients, SessionBenchmark.RUNS, SessionBenchmark.ROUNDS,
                SessionBenchmark.ROUND.toMillis(), SessionBenchmark.WARM_UP.toMillis()));
    }

    void serviceStart(long millis, boolean archive, FirstMinute warm) {
        serviceStartMillis = millis;
        serviceWarm = warm;
        notes.add(String.format("service, started as the image runs it (src/main/docker/Dockerfile.jvm): JVM options %s; environment %s; "
                + "class data sharing archive %s", Service.JVM_OPTIONS, Service.environment(), archive ? "used (the image ships it)"
                        : "not used (the image does not ship it)"));
        notes.add(String.format("service start, JVM start to first answered request: %d ms as the image runs it", millis));
    }

    void otherStart(long millis, boolean archive) {
        otherStartMillis = millis;
        notes.add(String.format("service start the other way, one start: %d ms %s", millis, archive
                ? "with the class data sharing archive (target/quarkus-app/app-cds.jsa; not shipped in the image)"
                : "without the class data sharing archive (the image ships it)"));
    }

    void peerStart(String name, FirstMinute warm) {
        peerWarm = warm;
    }

    void serviceMemory(long kib) {
        serviceKiB = kib;
    }

    void note(String note) {
        notes.add(note);
    }

    void add(String system, Scenario scenario, Result result) {
        results.computeIfAbsent(system, k -> new LinkedHashMap<>()).computeIfAbsent(scenario, k -> new ArrayList<>()).add(result);
    }

    String text(String peer) {
        List<String> out = new ArrayList<>(header);
        out.add("");
        out.add(String.format(Locale.ROOT, "%-37s %-20s %18s %20s %22s %11s %18s %18s", "scenario", "system", "req/s (runs)", "p50 ms (runs)",
                "p99 ms (runs)", "statements", "÷ floor (runs)", "÷ peer (runs)"));
        for (Scenario scenario : scenarios) {
            boolean first = true;
            for (String system : results.keySet()) {
                List<Result> runs = runs(system, scenario);
                if (runs.isEmpty()) {
                    continue;
                }
                Result counted = runs.get(0);
                boolean service = system.equals(SERVICE);
                out.add(String.format(Locale.ROOT, "%-37s %-20s %18s %20s %22s %6.1f +%-3.1f %18s %18s", first ? scenario.title : "", system,
                        spread(runs, Result::throughput, "%.0f"), spread(runs, Result::p50, "%.2f"), spread(runs, Result::p99, "%.1f"),
                        counted.statements(), counted.transaction(), service ? ratio(scenario, FLOOR) : "", service ? ratio(scenario, peer) : ""));
                first = false;
            }
        }
        out.add("÷ floor, ÷ peer: the service's throughput over the database floor's and over the peer's, the median of the runs' ratios "
                + "(each ratio within one run) and their spread.");
        StringBuilder alone = new StringBuilder(Scenario.LARGE.title + ", one client alone, p50 (median of the runs):");
        results.forEach((system, byScenario) -> {
            List<Result> large = byScenario.getOrDefault(Scenario.LARGE, List.of());
            if (!large.isEmpty()) {
                alone.append(String.format(Locale.ROOT, " %s %.1f ms;", system, median(values(large, Result::aloneP50))));
            }
        });
        out.add(alone.toString());
        out.add("");
        out.add("p99 ms in each run, the service | the peer:");
        for (Scenario scenario : scenarios) {
            out.add(String.format(Locale.ROOT, "  %-37s %s | %s", scenario.title, each(runs(SERVICE, scenario), Result::p99),
                    peer == null ? "-" : each(runs(peer, scenario), Result::p99)));
        }
        out.add("");
        out.addAll(notes);
        if (serviceKiB > 0) {
            out.add(String.format(Locale.ROOT, "service: resident memory after the runs %d MiB (%.0f MB)", serviceKiB / 1024, serviceKiB * 1024 / MB));
        }
        if (serviceWarm != null) {
            out.add(serviceWarm.describe("service", readThroughput(SERVICE)));
        }
        if (peerWarm != null) {
            out.add(peerWarm.describe("PostGraphile", readThroughput(peer)));
        }
        out.add("");
        targets(out, peer);
        return String.join("\n", out) + "\n";
    }

    private void targets(List<String> out, String peer) {
        out.add("targets (medians of the runs; spread in brackets):");
        out.add(String.format(Locale.ROOT, "| %-66s | %-62s | %-3s |", "target", "measured", "met"));
        out.add("|" + "-".repeat(68) + "|" + "-".repeat(64) + "|-----|");
        target(out, "read of a 100-item session >= 3x PostGraphile", ratioTarget(Scenario.READ, peer, 3));
        target(out, "read of a 100-item session >= 0.5x the database floor", ratioTarget(Scenario.READ, FLOOR, 0.5));
        target(out, "page of 50 sessions with carts >= 3x PostGraphile", ratioTarget(Scenario.PAGE, peer, 3));
        List<Result> serviceRead = runs(SERVICE, Scenario.READ);
        List<Result> peerRead = peer == null ? List.of() : runs(peer, Scenario.READ);
        if (serviceRead.isEmpty() || peerRead.size() != serviceRead.size()) {
            target(out, "the read's p99 <= PostGraphile's in every run", null);
        } else {
            boolean every = true;
            for (int i = 0; i < serviceRead.size(); i++) {
                every &= serviceRead.get(i).p99() <= peerRead.get(i).p99();
            }
            target(out, "the read's p99 <= PostGraphile's in every run", new Measured("service " + each(serviceRead, Result::p99) + " ms, peer "
                    + each(peerRead, Result::p99) + " ms", every));
        }
        target(out, "JVM resident memory after the runs <= 300 MB", serviceKiB <= 0 ? null
                : new Measured(String.format(Locale.ROOT, "%.0f MB (%d MiB)", serviceKiB * 1024 / MB, serviceKiB / 1024), serviceKiB * 1024 <= 300 * MB));
        List<Result> serviceLarge = runs(SERVICE, Scenario.LARGE);
        List<Result> peerLarge = peer == null ? List.of() : runs(peer, Scenario.LARGE);
        if (serviceLarge.isEmpty() || peerLarge.isEmpty()) {
            target(out, clients + " concurrent 1000-item updates: p50 <= PostGraphile's", null);
        } else {
            double mine = median(values(serviceLarge, Result::p50));
            double theirs = median(values(peerLarge, Result::p50));
            target(out, clients + " concurrent 1000-item updates: p50 <= PostGraphile's", new Measured(String.format(Locale.ROOT,
                    "%.0f ms (%s) vs %.0f ms (%s)", mine, each(serviceLarge, Result::p50), theirs, each(peerLarge, Result::p50)), mine <= theirs));
        }
        target(out, "repeat update of 10 items >= 0.25x the database floor", ratioTarget(Scenario.REPEAT, FLOOR, 0.25));
        target(out, "changing update of 10 items >= 0.25x the database floor", ratioTarget(Scenario.CHANGE, FLOOR, 0.25));
        target(out, "JVM start to first answered request <= 2.5 s (as the image runs)", serviceStartMillis < 0 ? null
                : new Measured(serviceStartMillis + " ms" + (otherStartMillis < 0 ? "" : " (the other way: " + otherStartMillis + " ms)"),
                        serviceStartMillis <= 2500));
    }

    private record Measured(String figure, boolean met) {
    }

    private static void target(List<String> out, String target, Measured measured) {
        out.add(String.format(Locale.ROOT, "| %-66s | %-62s | %-3s |", target, measured == null ? "not measured in this run" : measured.figure,
                measured == null ? "-" : measured.met ? "yes" : "no"));
    }

    private Measured ratioTarget(Scenario scenario, String other, double at) {
        List<Double> ratios = ratios(scenario, other);
        if (ratios.isEmpty()) {
            return null;
        }
        return new Measured(String.format(Locale.ROOT, "%.2fx (%.2f-%.2f)", median(ratios), min(ratios), max(ratios)), median(ratios) >= at);
    }

    private List<Result> runs(String system, Scenario scenario) {
        return system == null ? List.of() : results.getOrDefault(system, Map.of()).getOrDefault(scenario, List.of());
    }

    /** The service's throughput over the other system's, run by run. */
    private List<Double> ratios(Scenario scenario, String other) {
        List<Result> mine = runs(SERVICE, scenario);
        List<Result> theirs = runs(other, scenario);
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < Math.min(mine.size(), theirs.size()); i++) {
            ratios.add(mine.get(i).throughput() / theirs.get(i).throughput());
        }
        return ratios;
    }

    private String ratio(Scenario scenario, String other) {
        List<Double> ratios = ratios(scenario, other);
        return ratios.isEmpty() ? "" : String.format(Locale.ROOT, "%.2f× (%.2f-%.2f)", median(ratios), min(ratios), max(ratios));
    }

    private double readThroughput(String system) {
        List<Result> read = runs(system, Scenario.READ);
        return read.isEmpty() ? Double.NaN : median(values(read, Result::throughput));
    }

    private static String spread(List<Result> runs, ToDoubleFunction<Result> value, String format) {
        List<Double> values = values(runs, value);
        return String.format(Locale.ROOT, format + " (" + format + "-" + format + ")", median(values), min(values), max(values));
    }

    private static String each(List<Result> runs, ToDoubleFunction<Result> value) {
        return String.join(" ", values(runs, value).stream().map(v -> String.format(Locale.ROOT, "%.1f", v)).toList());
    }

    private static List<Double> values(List<Result> runs, ToDoubleFunction<Result> value) {
        return runs.stream().map(r -> value.applyAsDouble(r)).toList();
    }

    private static double median(List<Double> values) {
        return SessionBenchmark.median(values);
    }

    private static double min(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    private static double max(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }
}
