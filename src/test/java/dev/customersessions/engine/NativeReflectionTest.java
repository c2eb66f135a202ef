package dev.customersessions.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.graphql.api.ErrorCode;

/**
 * The native image's reflection registrations ({@link NativeReflection}) cover what the application reads by
 * reflection: every class whose public fields {@link LeanFieldFetchers} reads, and every exception whose
 * {@code @ErrorCode} is read at run time. A class added to either and not registered fails here, not in a native
 * build.
 */
class NativeReflectionTest {

    @Test
    void everythingReadByReflectionIsRegisteredForTheNativeImage() throws Exception {
        Set<Class<?>> registered = Set.of(NativeReflection.class.getAnnotation(RegisterForReflection.class).targets());
        Set<Class<?>> needed = new HashSet<>(LeanFieldFetchers.leanClasses());
        needed.addAll(errorCodeExceptions());
        assertEquals(names(needed), names(registered));
    }

    private static Set<Class<?>> errorCodeExceptions() throws IOException, ClassNotFoundException {
        // The application's classes, wherever this build wrote them (target/classes, or target/dev-classes).
        Path classes;
        try {
            classes = Path.of(NativeReflection.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IOException(e);
        }
        Set<Class<?>> found = new HashSet<>();
        try (Stream<Path> files = Files.walk(classes.resolve("dev/customersessions"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> type = Class.forName(name, false, NativeReflectionTest.class.getClassLoader());
                if (type.isAnnotationPresent(ErrorCode.class)) {
                    found.add(type);
                }
            }
        }
        return found;
    }

    private static Set<String> names(Set<Class<?>> classes) {
        return classes.stream().map(Class::getName).collect(Collectors.toCollection(java.util.TreeSet::new));
    }
}
