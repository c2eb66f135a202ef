package dev.customersessions.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * Programs a JDK-only machine lacks (Node.js, npm, Chromium), for the tests that drive real clients. Without them a
 * test is left out and says so plainly; with {@code CI} set (.ci/run installs them) it fails instead.
 */
public final class ExternalTools {

    private ExternalTools() {
    }

    /**
     * The executable's path, found on the PATH (the first of the names given; an absolute path is taken as it is); or
     * the test is left out.
     */
    public static String require(String test, String install, String... names) {
        for (String name : names) {
            String found = onPath(name);
            if (found != null) {
                return found;
            }
        }
        Assumptions.abort(missing(test, install, String.join(" or ", names) + " is not on the PATH"));
        return null;
    }

    /**
     * The program's path, on the PATH or in /usr/sbin (where Debian puts daemons, off a user's PATH); null when it is
     * nowhere, after saying that the test is left out (or failing with CI set). For a class's {@code @EnabledIf},
     * which runs before the application it tests is started.
     */
    public static String find(String test, String install, String name) {
        String found = onPath(name);
        if (found == null && new File("/usr/sbin", name).canExecute()) {
            found = new File("/usr/sbin", name).getAbsolutePath();
        }
        if (found == null) {
            missing(test, install, name + " is neither on the PATH nor in /usr/sbin");
        }
        return found;
    }

    private static String missing(String test, String install, String what) {
        String why = test + " LEFT OUT: " + what + ". Install it (" + install + ") and run ./mvnw verify again; .ci/run installs it.";
        System.out.println(why);
        assertTrue(System.getenv("CI") == null, why + " CI must not leave it out.");
        return why;
    }

    /** Runs a command in a folder; asserts that it ends in time and succeeds; returns what it printed. */
    public static List<String> run(Path folder, List<String> command, int seconds) throws IOException, InterruptedException {
        Path output = java.nio.file.Files.createTempFile("external-tool", ".log");
        Process process = new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        boolean finished = process.waitFor(seconds, TimeUnit.SECONDS);
        if (!finished) {
            process.destroyForcibly();
        }
        List<String> lines = java.nio.file.Files.readAllLines(output, StandardCharsets.UTF_8);
        java.nio.file.Files.deleteIfExists(output);
        assertTrue(finished, () -> command + " did not finish in " + seconds + " s: " + String.join("\n", lines));
        assertEquals(0, process.exitValue(), () -> command + " failed: " + String.join("\n", lines));
        return lines;
    }

    private static String onPath(String program) {
        if (new File(program).isAbsolute()) { // a program's usual place, when the PATH lacks it (/usr/sbin for users)
            return new File(program).canExecute() ? program : null;
        }
        for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File file = new File(directory, program);
            if (file.canExecute()) {
                return file.getAbsolutePath();
            }
        }
        return null;
    }
}
