package dev.customersessions.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.graphql.api.ErrorCode;

/**
 * The native image's reflection registrations cover what the application reads by reflection: every class whose
 * public fields {@link LeanFieldFetchers} reads (the plain types of every {@link EngineRegistration}, registered by
 * their feature), and every exception whose {@code @ErrorCode} is read at run time ({@link NativeReflection}). A class
 * added to either and not registered fails here, not in a native build.
 */
class NativeReflectionTest {

    @Test
    void everythingReadByReflectionIsRegisteredForTheNativeImage() throws Exception {
        List<Class<?>> classes = applicationClasses();
        Set<Class<?>> registered = new HashSet<>();
        Set<Class<?>> needed = new HashSet<>();
        for (Class<?> type : classes) {
            RegisterForReflection registration = type.getAnnotation(RegisterForReflection.class);
            if (registration != null) {
                registered.addAll(List.of(registration.targets()));
            }
            if (type == GraphQLWebSocketHandler.class) { // marks upgrade requests done (Quarkus's method is not public)
                needed.add(io.quarkus.vertx.http.runtime.filters.QuarkusRequestWrapper.class);
            }
            if (type.isAnnotationPresent(ErrorCode.class)) {
                needed.add(type);
            }
            if (EngineRegistration.class.isAssignableFrom(type) && !type.isInterface() && !Modifier.isAbstract(type.getModifiers())) {
                EngineRegistration feature = (EngineRegistration) type.getDeclaredConstructor().newInstance();
                needed.addAll(feature.plainTypes().values());
            }
        }
        assertEquals(names(needed), names(registered));
    }

    /** The application's classes, wherever this build wrote them (target/classes, or target/dev-classes). */
    private static List<Class<?>> applicationClasses() throws IOException, ClassNotFoundException {
        Path classes;
        try {
            classes = Path.of(NativeReflection.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IOException(e);
        }
        List<Class<?>> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(classes.resolve("dev/customersessions"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                found.add(Class.forName(name, false, NativeReflectionTest.class.getClassLoader()));
            }
        }
        return found;
    }

    private static Set<String> names(Set<Class<?>> classes) {
        return classes.stream().map(Class::getName).collect(Collectors.toCollection(TreeSet::new));
    }
}
