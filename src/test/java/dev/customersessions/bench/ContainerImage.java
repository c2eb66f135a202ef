package dev.customersessions.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the JVM container image (src/main/docker/Dockerfile.jvm) runs the service, read from the Dockerfile itself so
 * that the benchmarks start the service as the image does, whatever its options are today: the JVM options of its
 * {@code ENV JAVA_OPTS_APPEND}, the rest of its environment ({@code MALLOC_ARENA_MAX}), and whether it ships the class
 * data sharing archive (a {@code COPY} of app-cds.jsa; the image copies lib/, the jars, app/ and quarkus/ otherwise).
 */
record ContainerImage(Map<String, String> environment, boolean shipsArchive) {

    static final Path DOCKERFILE = Path.of("src/main/docker/Dockerfile.jvm");
    /** A {@code KEY=value} pair of an ENV instruction, the value quoted or not. */
    private static final Pattern PAIR = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"((?:[^\"\\\\]|\\\\.)*)\"|(\\S*))");

    static ContainerImage read() {
        try {
            return parse(Files.readString(DOCKERFILE, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + DOCKERFILE, e);
        }
    }

    static ContainerImage parse(String dockerfile) {
        Map<String, String> environment = new LinkedHashMap<>();
        boolean archive = false;
        for (String instruction : dockerfile.replaceAll("\\\\\\r?\\n", " ").split("\\r?\\n")) { // line continuations joined
            String line = instruction.trim();
            String word = line.split("\\s+", 2)[0].toUpperCase(java.util.Locale.ROOT);
            if (word.equals("ENV")) {
                String rest = line.substring(3).trim();
                String[] first = rest.split("\\s+", 2);
                if (!first[0].contains("=")) { // the old form: ENV KEY value
                    environment.put(first[0], first.length > 1 ? first[1].replaceAll("^\"|\"$", "") : "");
                    continue;
                }
                Matcher pair = PAIR.matcher(rest);
                while (pair.find()) {
                    environment.put(pair.group(1), pair.group(3) != null ? pair.group(3).replaceAll("\\\\(.)", "$1") : pair.group(4));
                }
            } else if ((word.equals("COPY") || word.equals("ADD")) && line.contains("app-cds.jsa")) {
                archive = true;
            }
        }
        return new ContainerImage(environment, archive);
    }

    /** The JVM options the image appends to its launcher's ({@code JAVA_OPTS_APPEND}), in order. */
    String javaOptions() {
        return environment.getOrDefault("JAVA_OPTS_APPEND", "").trim().replaceAll("\\s+", " ");
    }

    /** The environment variables of the image that change how the JVM process runs (glibc's arenas). */
    Map<String, String> processEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        for (String name : List.of("MALLOC_ARENA_MAX", "MALLOC_TRIM_THRESHOLD_", "MALLOC_MMAP_THRESHOLD_", "MALLOC_TOP_PAD_")) {
            if (environment.containsKey(name)) {
                env.put(name, environment.get(name));
            }
        }
        return env;
    }
}
