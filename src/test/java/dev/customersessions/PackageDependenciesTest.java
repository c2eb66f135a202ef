package dev.customersessions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.spi.ToolProvider;

import org.junit.jupiter.api.Test;

/**
 * The application's packages, as the compiled classes use them (the JDK's {@code jdeps}): no cycle between them, and the
 * engine ({@code dev.customersessions.engine}) uses no feature's API or aggregate: features register with it.
 */
class PackageDependenciesTest {

    private static final String ROOT = "dev.customersessions";

    @Test
    void noPackageCycles() throws Exception {
        Map<String, Set<String>> uses = packageDependencies();
        List<List<String>> cycles = new ArrayList<>();
        for (String from : uses.keySet()) {
            List<String> path = pathBack(uses, from);
            if (path != null && from.equals(path.stream().min(String::compareTo).orElseThrow())) {
                cycles.add(path); // each cycle once, from its smallest package
            }
        }
        assertEquals(List.of(), cycles, "package cycles (each: a package, the packages it reaches, and back)");
    }

    @Test
    void theEngineUsesNoFeatureApiOrAggregate() throws Exception {
        Set<String> used = packageDependencies().getOrDefault(ROOT + ".engine", Set.of());
        assertFalse(used.isEmpty(), "jdeps found what the engine uses");
        List<String> features = used.stream().filter(p -> p.endsWith(".graphql") || p.startsWith(ROOT + ".session")).toList();
        assertEquals(List.of(), features, "the engine names no feature's types: features register through EngineRegistration");
    }

    /** The shortest way from a package back to itself, or null. */
    private static List<String> pathBack(Map<String, Set<String>> uses, String start) {
        Map<String, String> reachedFrom = new TreeMap<>();
        Deque<String> queue = new ArrayDeque<>(List.of(start));
        while (!queue.isEmpty()) {
            String at = queue.poll();
            for (String next : uses.getOrDefault(at, Set.of())) {
                if (next.equals(start)) {
                    List<String> path = new ArrayList<>(List.of(start));
                    for (String p = at; !p.equals(start); p = reachedFrom.get(p)) {
                        path.add(1, p);
                    }
                    path.add(start);
                    return path;
                }
                if (reachedFrom.putIfAbsent(next, at) == null) {
                    queue.add(next);
                }
            }
        }
        return null;
    }

    /** Package → the other application packages its classes use, from {@code jdeps -verbose:package}. */
    static Map<String, Set<String>> packageDependencies() throws Exception {
        Path classes = Path.of(CustomerSessionsConfig.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow(() -> new AssertionError("no jdeps in this JDK"));
        StringWriter out = new StringWriter();
        int status = jdeps.run(new PrintWriter(out), new PrintWriter(out), "-verbose:package", "-e", "dev\\.customersessions(\\..*)?",
                classes.toString());
        assertEquals(0, status, out.toString());
        Map<String, Set<String>> uses = new TreeMap<>();
        for (String line : out.toString().split("\n")) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length >= 3 && parts[1].equals("->") && parts[0].startsWith(ROOT) && parts[2].startsWith(ROOT)
                    && !parts[0].equals(parts[2])) {
                uses.computeIfAbsent(parts[0], p -> new TreeSet<>()).add(parts[2]);
            }
        }
        return uses;
    }
}
