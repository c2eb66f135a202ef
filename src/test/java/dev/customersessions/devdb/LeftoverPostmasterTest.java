package dev.customersessions.devdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * Dev mode after a hard kill: a JVM that started the embedded PostgreSQL on a data directory is killed with
 * SIGKILL, so its shutdown hook never stops PostgreSQL. The next start on that directory (a separate JVM, as the
 * next {@code ./mvnw quarkus:dev} is) stops the PostgreSQL left behind and starts normally, with the data kept; a
 * start while a live process owns the directory is refused with a message that says so.
 */
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "SIGKILL of a child JVM is how the crash is made")
class LeftoverPostmasterTest {

    private static final Duration START_WAIT = Duration.ofSeconds(90);

    private final List<Process> started = new ArrayList<>();
    private Path dataDirectory;

    @Test
    void aDevModeStartedAfterAHardKillStopsThePostgresLeftBehindAndKeepsTheData() throws Exception {
        dataDirectory = Files.createTempDirectory(Path.of("target"), "dev-postgres-killed-").toAbsolutePath();

        Child killed = start("write");
        assertEquals("1", killed.await("ROWS "), killed.output());
        long leftBehind = postmasterPid();
        killed.process.destroyForcibly();
        assertTrue(killed.process.waitFor(30, TimeUnit.SECONDS));

        // The crash as users met it: the JVM is gone, its PostgreSQL still runs and answers.
        assertTrue(isAlive(leftBehind), "PostgreSQL outlived the killed JVM");
        assertEquals(1, countRows(killed.await("URL ")));

        Child next = start("read");
        assertEquals("1", next.await("ROWS "), "the next start serves the data written before the kill: " + next.output());
        assertTrue(next.output().contains("Stopping the embedded PostgreSQL pid " + leftBehind + ", port "), next.output());
        assertFalse(isAlive(leftBehind), "the PostgreSQL left behind was stopped");
        long running = postmasterPid();
        assertTrue(running != leftBehind && isAlive(running));

        // A second live process on the same directory is refused, naming who has it, and harms nothing.
        Child second = start("read");
        assertTrue(second.process.waitFor(START_WAIT.toSeconds(), TimeUnit.SECONDS), second.output());
        assertEquals(3, second.process.exitValue(), second.output());
        assertTrue(second.output().contains("is in use by another running dev mode or test run"), second.output());
        assertTrue(second.output().contains("its PostgreSQL: pid " + running + ", port "), second.output());
        assertTrue(second.output().contains("(process " + next.process.pid() + ": "), second.output());
        assertTrue(isAlive(running));
        assertEquals(1, countRows(next.await("URL ")));

        // A normal stop (SIGTERM: the shutdown hook runs) stops PostgreSQL and leaves no PID file.
        next.process.destroy();
        assertTrue(next.process.waitFor(60, TimeUnit.SECONDS));
        assertTrue(ProcessHandle.of(running).map(p -> p.onExit().orTimeout(30, TimeUnit.SECONDS).join()).isEmpty()
                || !isAlive(running));
        assertFalse(Files.exists(dataDirectory.resolve(LeftoverPostmaster.PID_FILE)));
    }

    @Test
    void aDevModeJvmLeftRunningWhenItsMavenWasKilledIsStoppedAndTheNextStartGoesOn() throws Exception {
        dataDirectory = Files.createTempDirectory(Path.of("target"), "dev-postgres-orphan-").toAbsolutePath();
        // Maven (here: a shell) starts the dev-mode JVM, then is killed; the JVM goes on, adopted by another process.
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process maven = new ProcessBuilder("sh", "-c", "\"$0\" \"$@\" & wait", java,
                "-cp", System.getProperty("java.class.path"), DevDatabaseProcess.class.getName(), dataDirectory.toString(), "write")
                .redirectErrorStream(true).start();
        started.add(maven);
        Child devMode = new Child(maven);
        assertEquals("1", devMode.await("ROWS "), devMode.output());
        ProcessHandle devModeJvm = LeftoverPostmaster.recordedOwner(dataDirectory.toFile()).orElseThrow();
        assertEquals(maven.pid(), devModeJvm.parent().orElseThrow().pid(), "the record names the JVM Maven started");
        long postmaster = postmasterPid();
        maven.destroyForcibly();
        assertTrue(maven.waitFor(30, TimeUnit.SECONDS));
        assertTrue(devModeJvm.isAlive() && isAlive(postmaster), "the dev-mode JVM and its PostgreSQL outlived Maven");

        Child next = start("read");
        assertEquals("1", next.await("ROWS "), next.output());
        assertTrue(next.output().contains("Stopping the dev mode JVM (pid " + devModeJvm.pid() + ")"), next.output());
        assertFalse(devModeJvm.isAlive());
        assertFalse(isAlive(postmaster));
    }

    @Test
    void aPidFileNamingAProcessThatIsNotPostgresIsRemovedAndTheStartGoesOn() throws Exception {
        dataDirectory = Files.createTempDirectory(Path.of("target"), "dev-postgres-stale-").toAbsolutePath();
        Child first = start("write");
        assertEquals("1", first.await("ROWS "), first.output());
        ProcessHandle postmaster = ProcessHandle.of(postmasterPid()).orElseThrow();
        List<ProcessHandle> workers = postmaster.children().toList();
        first.process.destroyForcibly();
        assertTrue(first.process.waitFor(30, TimeUnit.SECONDS));
        // PostgreSQL killed too, as by a reboot; its PID now belongs to another program, so PostgreSQL would take
        // the PID file for a server still running and refuse to start (and a stop would signal that program).
        postmaster.destroyForcibly();
        postmaster.onExit().get(30, TimeUnit.SECONDS);
        for (ProcessHandle worker : workers) {
            worker.onExit().get(30, TimeUnit.SECONDS);
        }
        Path pidFile = dataDirectory.resolve(LeftoverPostmaster.PID_FILE);
        List<String> lines = new ArrayList<>(Files.readAllLines(pidFile));
        Process otherProgram = new ProcessBuilder("sleep", "600").start();
        started.add(otherProgram);
        lines.set(0, Long.toString(otherProgram.pid()));
        Files.write(pidFile, lines);

        Child next = start("read");
        assertEquals("1", next.await("ROWS "), next.output());
        assertTrue(next.output().contains("Removed a stale " + LeftoverPostmaster.PID_FILE), next.output());
        assertTrue(otherProgram.isAlive(), "the program that has the PID now is left alone");
    }

    @Test
    void aFailedStartSaysWhatPostgresSaidAndATryAgainInTheSameJvmRepeatsThatCause() throws Exception {
        dataDirectory = Files.createTempDirectory(Path.of("target"), "dev-postgres-broken-").toAbsolutePath();
        Child first = start("write");
        assertEquals("1", first.await("ROWS "), first.output());
        first.process.destroy();
        assertTrue(first.process.waitFor(60, TimeUnit.SECONDS));
        Files.writeString(dataDirectory.resolve("postgresql.conf"), "\nnot_a_setting = on\n", StandardOpenOption.APPEND);

        Child broken = start("twice");
        assertTrue(broken.process.waitFor(START_WAIT.toSeconds(), TimeUnit.SECONDS), broken.output());
        assertEquals(3, broken.process.exitValue(), broken.output());
        String output = broken.output();
        String failed = output.substring(output.indexOf("FAILED "), output.indexOf("AGAIN "));
        String again = output.substring(output.indexOf("AGAIN "));
        assertTrue(failed.contains("Could not start the embedded PostgreSQL on " + dataDirectory), output);
        assertTrue(failed.contains("PostgreSQL's own last words, from " + dataDirectory + ".log"), output);
        assertTrue(failed.contains("not_a_setting"), "PostgreSQL's own complaint is shown: " + output);
        assertTrue(again.contains("not_a_setting") && again.contains("restart dev mode"),
                "the second try names the first cause, not the lock the failed start left: " + output);
    }

    @AfterEach
    void stopEverything() throws Exception {
        for (Process process : started) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        if (dataDirectory != null) {
            LeftoverPostmaster.recordedOwner(dataDirectory.toFile()).filter(p -> p.pid() != ProcessHandle.current().pid())
                    .ifPresent(ProcessHandle::destroy);
        }
        if (dataDirectory != null && Files.exists(dataDirectory.resolve(LeftoverPostmaster.PID_FILE))) {
            ProcessHandle.of(postmasterPid())
                    .filter(p -> p.info().command().map(c -> c.endsWith("/postgres")).orElse(false))
                    .ifPresent(ProcessHandle::destroy);
        }
        if (dataDirectory != null) {
            try (var paths = Files.walk(dataDirectory)) {
                paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
            Files.deleteIfExists(dataDirectory.resolveSibling(dataDirectory.getFileName() + ".log"));
        }
    }

    private Child start(String mode) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                DevDatabaseProcess.class.getName(), dataDirectory.toString(), mode)
                .redirectErrorStream(true)
                .start();
        started.add(process);
        return new Child(process);
    }

    private long postmasterPid() throws IOException {
        return Long.parseLong(Files.readAllLines(dataDirectory.resolve(LeftoverPostmaster.PID_FILE)).get(0).trim());
    }

    private static boolean isAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static long countRows(String url) throws Exception {
        try (Connection connection = DriverManager.getConnection(url, EmbeddedPostgresServer.USER, EmbeddedPostgresServer.USER);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("select count(*) from survivor")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** A child JVM and everything it printed. */
    private static final class Child {
        final Process process;
        private final StringBuffer output = new StringBuffer();

        Child(Process process) {
            this.process = process;
            Thread reader = new Thread(() -> {
                try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = lines.readLine()) != null; ) {
                        output.append(line).append('\n');
                    }
                } catch (IOException e) {
                    output.append("(output unreadable: ").append(e.getMessage()).append(")\n");
                }
            }, "child-output");
            reader.setDaemon(true);
            reader.start();
        }

        String output() {
            return output.toString();
        }

        /** The rest of the first line starting with {@code prefix}, waiting for it. */
        String await(String prefix) throws InterruptedException {
            long deadline = System.nanoTime() + START_WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                for (String line : output().split("\n")) {
                    if (line.startsWith(prefix)) {
                        return line.substring(prefix.length()).trim();
                    }
                }
                if (!process.isAlive() && !output().contains(prefix)) {
                    Thread.sleep(200);
                    if (!output().contains(prefix)) {
                        throw new AssertionError("the child ended (exit " + process.exitValue() + ") without '" + prefix + "':\n" + output());
                    }
                }
                Thread.sleep(50);
            }
            throw new AssertionError("no '" + prefix + "' within " + START_WAIT + ":\n" + output());
        }
    }
}
