package dev.customersessions;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.customersessions.support.GraphQLClient;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * What a native build (Mandrel's or GraalVM's {@code native-image}) would refuse, or build wrong, checked on its input
 * without GraalVM: the native sources that {@code ./mvnw verify -Dnative-sources} makes ({@code target/native-sources}:
 * the runner JAR with the application and the classes Quarkus generated for it, {@code lib/}, and
 * {@code native-image.args}). {@code .ci/run} runs it after the tests. A native build itself (the workflow, or a
 * machine with Mandrel or Docker: README, "Native image") is what finally shows that the image builds and runs.
 */
class NativeSourcesCheck {

    private static final Path SOURCES = Path.of("target", "native-sources");
    /** Provided by native-image itself, never on the class path. */
    private static final List<String> GRAALVM_PACKAGES = List.of("org.graalvm.", "com.oracle.svm.");
    /** What GraalVM refuses in the image heap, or what would run, or be seeded, once for every start of the binary. */
    private static final Set<String> RUN_TIME_STATE = Set.of("Ljava/util/Random;", "Ljava/security/SecureRandom;",
            "Ljava/util/SplittableRandom;", "Ljava/util/concurrent/ThreadLocalRandom;", "Ljava/lang/Thread;",
            "Ljava/util/Timer;", "Ljava/util/concurrent/Executor;", "Ljava/util/concurrent/ExecutorService;",
            "Ljava/util/concurrent/ScheduledExecutorService;", "Ljava/util/concurrent/ThreadPoolExecutor;",
            "Ljava/util/concurrent/ScheduledThreadPoolExecutor;", "Ljava/util/concurrent/ForkJoinPool;");
    /**
     * Service interfaces whose implementations Quarkus compiles into its generated configuration classes (no
     * service loading at run time); the implementations of any other service file are loaded by
     * {@code ServiceLoader}, which in a Quarkus native image finds only what is registered.
     */
    private static final Set<String> COMPILED_IN_SERVICES = Set.of("io.smallrye.config.ConfigSourceFactory",
            "io.smallrye.config.SmallRyeConfigBuilderCustomizer", "io.smallrye.config.ConfigSourceInterceptor",
            "io.smallrye.config.ConfigSourceInterceptorFactory", "org.eclipse.microprofile.config.spi.ConfigSource",
            "org.eclipse.microprofile.config.spi.ConfigSourceProvider", "org.eclipse.microprofile.config.spi.Converter");

    private static Path runner;
    private static ZipFile jar;

    @BeforeAll
    static void openTheNativeSources() throws IOException {
        assertTrue(Files.isRegularFile(SOURCES.resolve("native-image.args")),
                "no native sources: run ./mvnw verify -Dnative=sources");
        try (Stream<Path> files = Files.list(SOURCES)) {
            runner = files.filter(f -> f.getFileName().toString().endsWith("-runner.jar")).findFirst().orElseThrow();
        }
        jar = new ZipFile(runner.toFile());
    }

    @AfterAll
    static void close() throws IOException {
        jar.close();
    }

    /**
     * No class that the application or Quarkus's generated code refers to is missing: native-image links every class
     * at build time ({@code --link-at-build-time}) and stops on the first reachable one that is not there. jdeps
     * reads the runner JAR (the application and the generated classes, where a reference to dev-only code would be)
     * with {@code lib/} as its class path. The libraries themselves are not read: their optional integrations (Log4j,
     * OpenSSL, ...) are absent by design and never reached.
     */
    @Test
    void noClassIsMissing() throws IOException {
        assertTrue(arguments().contains("--link-at-build-time"), "native-image.args: --link-at-build-time, which this check mirrors");
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String libraries;
        try (Stream<Path> jars = Files.list(SOURCES.resolve("lib"))) {
            libraries = String.join(File.pathSeparator, jars.map(Path::toString).sorted().toList());
        }
        int exit = jdeps.run(new PrintStream(out, true, StandardCharsets.UTF_8), System.err, "--multi-release", "17",
                "--missing-deps", "--class-path", libraries, runner.toString());
        String report = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, exit, report);
        // Lines "<class> -> <missing class> not found", after one "<jar> -> not found" per archive.
        List<String> missing = report.lines().filter(line -> line.endsWith("not found") && line.contains("->"))
                .map(line -> line.replaceAll("\\s+", " ").strip())
                .filter(line -> !line.endsWith("-> not found"))
                .filter(line -> GRAALVM_PACKAGES.stream().noneMatch(graalvm -> line.split("-> ")[1].startsWith(graalvm)))
                .toList();
        assertEquals(List.of(), missing, "classes missing from the native sources (jdeps --missing-deps)");
    }

    /**
     * Quarkus initialises every class at image build time unless it is registered for run-time initialisation, and
     * then the values of its static fields are part of the image: a random generator would be refused (or, seeded
     * once, give every start the same numbers), a thread or executor would not exist. No class of the application
     * holds one in a static field, unless registered for run-time initialisation.
     */
    @Test
    void noRandomThreadOrExecutorInClassesInitialisedAtBuildTime() throws IOException {
        Set<String> runTimeInitialised = runTimeInitialisedClasses();
        List<String> found = new ArrayList<>();
        for (ZipEntry entry : applicationClasses()) {
            try (InputStream in = jar.getInputStream(entry)) {
                new ClassReader(in).accept(new ClassVisitor(Opcodes.ASM9) {
                    private String className;

                    @Override
                    public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
                        className = name.replace('/', '.');
                    }

                    @Override
                    public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
                        if ((access & Opcodes.ACC_STATIC) != 0 && RUN_TIME_STATE.contains(descriptor)
                                && runTimeInitialised.stream().noneMatch(className::startsWith)) {
                            found.add(className + "." + name + " (" + descriptor + ")");
                        }
                        return null;
                    }
                }, ClassReader.SKIP_CODE);
            }
        }
        assertEquals(List.of(), found, "static fields with run-time state in classes initialised at build time");
    }

    /**
     * The image configuration Quarkus generated holds what the application reads by reflection or as a resource at
     * run time: the classes {@code NativeReflection} and {@code SessionEngineRegistration} register (their fields), the service implementations loaded
     * through {@code ServiceLoader} (the file and the class), and every resource of {@code src/main/resources}.
     */
    @Test
    void theImageConfigurationHoldsWhatTheApplicationReads() throws Exception {
        Map<String, Set<String>> reflection = reflection();
        List<Pattern> resources = resourcePatterns();
        List<String> problems = new ArrayList<>();

        List<Class<?>> targets = new ArrayList<>();
        // The engine's registrations, and those of the features' plain types (NativeReflectionTest finds them all).
        for (String registry : List.of("dev.customersessions.engine.NativeReflection",
                "dev.customersessions.session.graphql.SessionEngineRegistration")) {
            targets.addAll(List.of(Class.forName(registry).getAnnotation(RegisterForReflection.class).targets()));
        }
        for (Class<?> target : targets) {
            Set<String> granted = reflection.getOrDefault(target.getName(), Set.of());
            if (!granted.contains("allDeclaredFields") && !granted.contains("allPublicFields")) {
                problems.add("reflection: the fields of " + target.getName());
            }
        }

        String generatedConfiguration = generatedConfigurationClasses();
        for (ZipEntry entry : entries("META-INF/services/")) {
            String service = entry.getName().substring("META-INF/services/".length());
            for (String implementation : serviceImplementations(entry)) {
                if (!implementation.startsWith("dev.customersessions.")) {
                    continue;
                }
                if (COMPILED_IN_SERVICES.contains(service)) {
                    if (!generatedConfiguration.contains(implementation.replace('.', '/'))) {
                        problems.add("configuration: " + implementation + " (" + service + ") is not in Quarkus's generated configuration");
                    }
                    continue;
                }
                if (resources.stream().noneMatch(p -> p.matcher(entry.getName()).matches())) {
                    problems.add("resource: " + entry.getName());
                }
                if (!reflection.getOrDefault(implementation, Set.of()).stream()
                        .anyMatch(grant -> grant.equals("allDeclaredConstructors") || grant.equals("<init>"))) {
                    problems.add("reflection: the constructor of " + implementation + " (" + service + ")");
                }
            }
        }

        Path main = Path.of("src", "main", "resources");
        try (Stream<Path> files = Files.walk(main)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String name = main.relativize(file).toString().replace(File.separatorChar, '/');
                // application.properties: Quarkus records its values in the generated configuration.
                if (name.equals("application.properties") || name.startsWith("META-INF/services/")) {
                    continue;
                }
                if (resources.stream().noneMatch(p -> p.matcher(name).matches())) {
                    problems.add("resource: " + name);
                }
            }
        }
        assertEquals(List.of(), problems, "missing from the native image's configuration");
    }

    /**
     * SmallRye GraphQL builds the schema, with {@code quarkus.smallrye-graphql.field-visibility}, during static
     * initialisation: in the native image at build time, from the configuration the build sees, so that a value
     * there is fixed in the binary. The production configuration leaves it at {@code default}; introspection is
     * switched when the engine is built, from run-time configuration ({@code customer-sessions.introspection}).
     */
    @Test
    void fieldVisibilityIsNotFixedWhenTheSchemaIsBuilt() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = jar.getInputStream(jar.getEntry("application.properties"))) {
            properties.load(in);
        }
        String key = "quarkus.smallrye-graphql.field-visibility";
        String production = properties.getProperty("%prod." + key, properties.getProperty(key, "default"));
        assertEquals("default", production, key + " as the native build sees it (application.properties, prod profile)");
    }

    /**
     * The production class path of the native sources (runner JAR and {@code lib/}, nothing of the tests, no embedded
     * database) starts on a JVM in the production profile against a PostgreSQL given by configuration, and answers
     * queries, with introspection refused by default and answered when switched on at run time.
     */
    @Test
    void theProductionClassPathStartsAndAnswers() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setServerConfig("fsync", "off").start()) {
            for (boolean introspection : new boolean[] { false, true }) {
                Process process = startProductionClassPath(postgres.getJdbcUrl("postgres", "postgres"), introspection);
                try {
                    awaitReady(process);
                    String applications = given().port(8093).contentType("application/json")
                            .header("Authorization", GraphQLClient.MANAGEMENT)
                            .body(Map.of("query", GraphQLClient.document("applications"), "variables", Map.of("first", 1)))
                            .post("/graphql").then().statusCode(200).extract().asString();
                    assertTrue(applications.contains("{\"applications\":{\"nodes\":[") && !applications.contains("\"errors\""), applications);
                    String schema = given().port(8093).contentType("application/json")
                            .body(Map.of("query", "{ __schema { queryType { name } } }"))
                            .post("/graphql").then().statusCode(200).extract().asString();
                    assertEquals(introspection, schema.contains("\"queryType\":{\"name\":\"Query\"}"), schema);
                } finally {
                    process.destroy();
                    if (!process.waitFor(20, TimeUnit.SECONDS)) {
                        process.destroyForcibly();
                    }
                }
            }
        }
    }

    private static Process startProductionClassPath(String jdbcUrl, boolean introspection) throws IOException {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dquarkus.http.port=8093", "-Dquarkus.management.port=9093", "-jar", runner.toAbsolutePath().toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(new File("target/native-sources-jvm.log"));
        builder.environment().keySet().removeIf(name -> name.startsWith("QUARKUS_") || name.startsWith("CUSTOMER_SESSIONS_"));
        builder.environment().putAll(Map.of("QUARKUS_DATASOURCE_JDBC_URL", jdbcUrl, "QUARKUS_DATASOURCE_USERNAME", "postgres",
                "QUARKUS_DATASOURCE_PASSWORD", "postgres", "CUSTOMER_SESSIONS_MANAGEMENT_KEY", "test-management-key",
                "CUSTOMER_SESSIONS_INTROSPECTION", Boolean.toString(introspection)));
        return builder.start();
    }

    private static void awaitReady(Process process) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            assertTrue(process.isAlive(), () -> "the production class path stopped: " + log());
            try {
                if (given().port(9093).get("/q/health/ready").statusCode() == 200) {
                    return;
                }
            } catch (Exception notYet) { // RestAssured throws ConnectException unchecked
            }
            Thread.sleep(250);
        }
        throw new AssertionError("not ready in 90 s: " + log());
    }

    private static String log() {
        try {
            return Files.readString(Path.of("target/native-sources-jvm.log"));
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static List<String> arguments() {
        try {
            return List.of(Files.readString(SOURCES.resolve("native-image.args")).strip().split("\\s+"));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The classes (and packages) registered for run-time initialisation: in the generated Feature, or by argument. */
    private static Set<String> runTimeInitialisedClasses() throws IOException {
        Set<String> names = new HashSet<>();
        for (String argument : arguments()) {
            if (argument.startsWith("--initialize-at-run-time=")) {
                names.addAll(List.of(argument.substring("--initialize-at-run-time=".length()).split(",")));
            }
        }
        ZipEntry feature = jar.getEntry("io/quarkus/runner/Feature.class");
        try (InputStream in = jar.getInputStream(feature)) {
            new ClassReader(in).accept(new ClassVisitor(Opcodes.ASM9) {
                @Override
                public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                    return new MethodVisitor(Opcodes.ASM9) {
                        @Override
                        public void visitLdcInsn(Object value) {
                            if (value instanceof String text && !text.isBlank() && !text.contains(" ")) {
                                names.add(text);
                            }
                        }
                    };
                }
            }, 0);
        }
        return names;
    }

    private static List<ZipEntry> applicationClasses() {
        return entries("dev/customersessions/").stream().filter(e -> e.getName().endsWith(".class")).toList();
    }

    private static List<ZipEntry> entries(String prefix) {
        List<ZipEntry> found = new ArrayList<>();
        for (Enumeration<? extends ZipEntry> all = jar.entries(); all.hasMoreElements();) {
            ZipEntry entry = all.nextElement();
            if (entry.getName().startsWith(prefix) && !entry.isDirectory()) {
                found.add(entry);
            }
        }
        return found;
    }

    private static List<String> serviceImplementations(ZipEntry serviceFile) throws IOException {
        try (InputStream in = jar.getInputStream(serviceFile)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(l -> l.replaceAll("#.*", "").strip())
                    .filter(l -> !l.isEmpty()).toList();
        }
    }

    /** The bytes of Quarkus's generated configuration classes, as text: they name the classes they instantiate. */
    private static String generatedConfigurationClasses() throws IOException {
        StringBuilder text = new StringBuilder();
        for (ZipEntry entry : entries("io/quarkus/runtime/generated/")) {
            try (InputStream in = jar.getInputStream(entry)) {
                text.append(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
            }
        }
        return text.toString();
    }

    /** Class name to what reflect-config.json grants it (allDeclaredFields, ..., and "<init>" for a constructor). */
    private static Map<String, Set<String>> reflection() throws IOException {
        Map<String, Set<String>> grants = new HashMap<>();
        for (JsonNode entry : json("META-INF/native-image/reflect-config.json")) {
            Set<String> granted = grants.computeIfAbsent(entry.get("name").asText(), name -> new TreeSet<>());
            entry.fields().forEachRemaining(field -> {
                if (field.getValue().isBoolean() && field.getValue().asBoolean()) {
                    granted.add(field.getKey());
                }
            });
            if (entry.has("methods")) {
                entry.get("methods").forEach(method -> granted.add(method.get("name").asText()));
            }
        }
        return grants;
    }

    /** What resource-config.json and -H:IncludeResources include, as patterns of resource names. */
    private static List<Pattern> resourcePatterns() throws IOException {
        List<Pattern> patterns = new ArrayList<>();
        json("META-INF/native-image/resource-config.json").path("resources").path("includes")
                .forEach(include -> patterns.add(Pattern.compile(include.get("pattern").asText())));
        for (String argument : arguments()) {
            if (argument.startsWith("-H:IncludeResources=")) {
                patterns.add(Pattern.compile(argument.substring("-H:IncludeResources=".length())));
            }
        }
        return patterns;
    }

    private static JsonNode json(String entry) throws IOException {
        ZipEntry file = jar.getEntry(entry);
        assertTrue(file != null, entry + " in " + runner);
        try (InputStream in = jar.getInputStream(file)) {
            return new ObjectMapper().readTree(new StringReader(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        }
    }
}
