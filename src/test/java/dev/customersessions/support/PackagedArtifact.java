package dev.customersessions.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The application as the last build packaged it, the same one {@code @QuarkusIntegrationTest} starts: the JAR
 * ({@code target/quarkus-app/quarkus-run.jar}), or the native binary after {@code -Dnative}. Read from
 * {@code target/quarkus-artifact.properties}, which Quarkus writes with every package, so that a test that starts
 * the application itself runs what the build made, never a left-over JAR of an earlier build.
 */
public record PackagedArtifact(String type, Path path) {

    private static final Path TARGET = Path.of("target");

    public static PackagedArtifact built() {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(TARGET.resolve("quarkus-artifact.properties"))) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("No packaged application: run ./mvnw package first", e);
        }
        return new PackagedArtifact(properties.getProperty("type"), TARGET.resolve(properties.getProperty("path")));
    }

    public boolean isNative() {
        return type.equals("native");
    }

    /** The command that starts the application with these system properties ({@code -Dname=value}). */
    public List<String> command(List<String> systemProperties) {
        List<String> command = new ArrayList<>();
        if (isNative()) {
            command.add(path.toString());
            command.addAll(systemProperties);
        } else {
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(systemProperties);
            command.add("-jar");
            command.add(path.toString());
        }
        return command;
    }
}
