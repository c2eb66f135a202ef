package dev.customersessions.devdb;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Deals with a PostgreSQL still running on the dev-mode data directory before the embedded one is started there.
 *
 * <p>The embedded PostgreSQL runs as a child process of the JVM that started it and is stopped by that JVM's
 * shutdown hook. When the JVM is killed (SIGKILL, a crash, a closed terminal), the hook never runs: PostgreSQL
 * goes on running, and its {@code postmaster.pid} keeps every later start on the same directory from working.
 *
 * <p>Who owns the directory is told by the lock that the running embedded server holds on its {@code epg-lock}
 * file (a lock the operating system drops when its process dies): if this JVM can take it, nothing alive owns
 * the directory and a PostgreSQL running on it was left behind, so it is stopped (a normal shutdown: its data
 * is kept). If another process holds the lock, another dev mode or test run is using the directory, and this
 * start is refused with a message that says so.
 */
final class LeftoverPostmaster {

    /** The file the embedded server (io.zonky.test.db.postgres.embedded.EmbeddedPostgres) locks while it runs. */
    static final String OWNER_LOCK = "epg-lock";
    static final String PID_FILE = "postmaster.pid";
    private static final long STOP_WAIT_SECONDS = 30;

    private LeftoverPostmaster() {
    }

    /**
     * Stops a PostgreSQL left running on {@code dataDirectory} by a JVM that is gone, or refuses if a live
     * process owns the directory. Does nothing when no PostgreSQL has the directory.
     */
    static void stopIfLeftBehind(File dataDirectory) {
        File pidFile = new File(dataDirectory, PID_FILE);
        if (!pidFile.exists()) {
            return;
        }
        stopOrphanedDevMode(dataDirectory);
        try (FileChannel channel = FileChannel.open(new File(dataDirectory, OWNER_LOCK).toPath(),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock ownership;
            try {
                ownership = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                throw new IllegalStateException("This JVM already runs an embedded PostgreSQL on " + dataDirectory
                        + " (an earlier start in this dev mode failed half-way). Restart dev mode.");
            }
            if (ownership == null) {
                throw new IllegalStateException("The embedded PostgreSQL's data directory " + dataDirectory
                        + " is in use by another running dev mode or test run"
                        + owner(dataDirectory).map(p -> " (process " + p.pid() + ": " + commandOf(p) + ")").orElse("")
                        + "; its PostgreSQL: " + describe(readPidFile(pidFile)) + ". Stop that one first, or give "
                        + "this one its own directory with -Dembedded-postgresql.data-directory=<path>.");
            }
            try {
                stop(pidFile, dataDirectory);
            } finally {
                // Released before the embedded server is started: it takes the same lock itself.
                ownership.release();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not check who uses the embedded PostgreSQL's data directory "
                    + dataDirectory + ": " + e.getMessage(), e);
        }
    }

    /**
     * A dev-mode JVM whose Maven was killed goes on running on its own (Quarkus runs dev mode in a JVM of its own),
     * still serving and still holding the embedded PostgreSQL. No one can reach its console or reload it any more:
     * it is stopped (SIGTERM, so that its shutdown hook stops its PostgreSQL). A dev mode whose launcher still runs
     * is left alone.
     */
    private static void stopOrphanedDevMode(File dataDirectory) {
        Optional<ProcessHandle> owner = owner(dataDirectory).filter(LeftoverPostmaster::isOrphanedDevMode);
        if (owner.isEmpty()) {
            return;
        }
        ProcessHandle devMode = owner.get();
        System.out.println("Stopping the dev mode JVM (pid " + devMode.pid() + ") that kept running, with its embedded "
                + "PostgreSQL on " + dataDirectory + ", after the Maven that started it ended without stopping it.");
        devMode.destroy();
        try {
            devMode.onExit().get(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("The dev mode JVM (pid " + devMode.pid() + ") left running on " + dataDirectory
                    + " did not stop within " + STOP_WAIT_SECONDS + " s. Stop it (kill " + devMode.pid() + ") and start again.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while stopping the dev mode left running on " + dataDirectory, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Could not wait for the dev mode left running on " + dataDirectory, e);
        }
    }

    /** A Quarkus dev-mode JVM (it names its dev application model) whose parent is gone (it was adopted by init). */
    static boolean isOrphanedDevMode(ProcessHandle process) {
        boolean devMode = process.info().commandLine().map(c -> c.contains(DEV_MODE_MARKER)).orElse(false);
        boolean orphaned = process.parent().map(parent -> parent.pid() == 1).orElse(true);
        return devMode && orphaned && process.pid() != ProcessHandle.current().pid();
    }

    /** What a Quarkus dev-mode JVM's command line names (its application model for dev mode). */
    static final String DEV_MODE_MARKER = "dev-app-model.dat";

    /**
     * The process holding the lock on the data directory's {@code epg-lock}, where the system tells (Linux, from
     * {@code /proc/locks}); empty elsewhere or when none does.
     */
    static Optional<ProcessHandle> owner(File dataDirectory) {
        File locks = new File("/proc/locks");
        if (!locks.canRead()) {
            return Optional.empty();
        }
        try {
            Object inode = Files.getAttribute(new File(dataDirectory, OWNER_LOCK).toPath(), "unix:ino");
            String suffix = ":" + inode;
            for (String line : Files.readAllLines(locks.toPath())) {
                // "1: POSIX  ADVISORY  WRITE 21255 fe:00:5325256 0 EOF": the pid, then device:inode.
                String[] fields = line.trim().split("\\s+");
                for (int i = 1; i + 1 < fields.length; i++) {
                    if (fields[i + 1].endsWith(suffix) && fields[i].matches("\\d+")) {
                        return ProcessHandle.of(Long.parseLong(fields[i])).filter(ProcessHandle::isAlive);
                    }
                }
            }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            // Not knowing the owner only makes the message less specific.
        }
        return Optional.empty();
    }

    private static String commandOf(ProcessHandle process) {
        String command = process.info().commandLine().orElse("?");
        return command.length() > 160 ? command.substring(0, 160) + "…" : command;
    }

    private static void stop(File pidFile, File dataDirectory) throws IOException {
        List<String> pidFileLines = readPidFile(pidFile);
        if (pidFileLines == null) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(pidFileLines.get(0).trim());
        } catch (RuntimeException e) {
            // Not a PID file PostgreSQL wrote completely (it is written on start): PostgreSQL replaces it.
            return;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (process.isEmpty() || !isPostgres(process.get())) {
            // The PostgreSQL that wrote it is gone, and its PID may now belong to another program, which PostgreSQL
            // would take for a server still running. No live embedded server owns the directory (checked above).
            Files.deleteIfExists(pidFile.toPath());
            System.out.println("Removed a stale " + PID_FILE + " from " + dataDirectory + " (pid " + pid
                    + " is no longer a running PostgreSQL).");
            return;
        }
        System.out.println("Stopping the embedded PostgreSQL " + describe(pidFileLines) + " that an earlier dev mode "
                + "or test run left running on " + dataDirectory + " when it ended without shutting down (killed or "
                + "crashed). Its data is kept.");
        ProcessHandle postmaster = process.get();
        // SIGTERM: PostgreSQL's "smart" shutdown, which waits for its clients; the dead JVM's connections are gone.
        postmaster.destroy();
        try {
            postmaster.onExit().get(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("The embedded PostgreSQL " + describe(pidFileLines) + " left running on "
                    + dataDirectory + " did not stop within " + STOP_WAIT_SECONDS + " s. Stop it (kill " + pid
                    + ") and start again.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while stopping the PostgreSQL left running on " + dataDirectory, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Could not wait for the PostgreSQL left running on " + dataDirectory, e);
        }
    }

    /** The PID file's lines (pid, data directory, start time, port, ...), or {@code null} when it is gone. */
    private static List<String> readPidFile(File pidFile) {
        try {
            return Files.readAllLines(pidFile.toPath());
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + pidFile + ": " + e.getMessage(), e);
        }
    }

    private static String describe(List<String> pidFileLines) {
        if (pidFileLines == null || pidFileLines.isEmpty()) {
            return "gone by now";
        }
        String pid = pidFileLines.get(0).trim();
        String port = pidFileLines.size() > 3 ? pidFileLines.get(3).trim() : "";
        return "pid " + pid + (port.isEmpty() ? "" : ", port " + port);
    }

    /** Whether the process runs PostgreSQL's server binary; where the platform does not say, assumed so. */
    private static boolean isPostgres(ProcessHandle process) {
        return process.info().command()
                .map(command -> {
                    String name = new File(command).getName();
                    return name.equals("postgres") || name.equals("postgres.exe");
                })
                .orElse(true);
    }
}
