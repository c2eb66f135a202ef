package dev.customersessions.devdb;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * Deals with what a killed dev mode left running on the dev-mode data directory, before the embedded PostgreSQL is
 * started there.
 *
 * <p>The embedded PostgreSQL runs as a child process of the JVM that started it and is stopped by that JVM's
 * shutdown hook. Two things can outlive a hard kill (SIGKILL, a crash, a closed terminal):
 * <ul>
 * <li>the dev-mode JVM itself, when only its launcher (Maven) was killed: Quarkus runs dev mode in a JVM of its
 * own, which goes on serving and holding the database, with no console and no way to reload it. The JVM that
 * starts the database records itself and its launcher ({@link #recordOwner}); a later start finds that record's
 * JVM alive, holding the directory's lock, with its launcher gone, and stops it (SIGTERM: its shutdown hook
 * stops its PostgreSQL). A dev mode whose launcher still runs is left alone, and the new start is refused.</li>
 * <li>PostgreSQL alone, when the JVM died too. Who owns the directory is told by the lock that the running embedded
 * server holds on its {@code epg-lock} file (a lock the operating system drops when its process dies): if this JVM
 * can take it, nothing alive owns the directory, and a PostgreSQL still running on it is stopped ("fast"
 * shutdown, with its own {@code pg_ctl}; its data is kept).</li>
 * </ul>
 */
final class LeftoverPostmaster {

    /** The file the embedded server (io.zonky.test.db.postgres.embedded.EmbeddedPostgres) locks while it runs. */
    static final String OWNER_LOCK = "epg-lock";
    /** Who started the running embedded server: that JVM and its launcher, by pid and start time. */
    static final String OWNER_RECORD = "epg-owner.properties";
    static final String PID_FILE = "postmaster.pid";
    private static final long STOP_WAIT_SECONDS = 30;
    /** How far two readings of one process's start time may differ (PostgreSQL writes whole seconds). */
    private static final Duration SAME_START = Duration.ofSeconds(2);

    private LeftoverPostmaster() {
    }

    /**
     * Stops what a killed dev mode left running on {@code dataDirectory}, or refuses if a live dev mode (or test
     * run) owns the directory. Does nothing when no PostgreSQL has the directory.
     */
    static void stopIfLeftBehind(File dataDirectory) {
        File pidFile = new File(dataDirectory, PID_FILE);
        if (!pidFile.exists()) {
            return;
        }
        try (FileChannel channel = FileChannel.open(new File(dataDirectory, OWNER_LOCK).toPath(),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock ownership = tryLock(channel, dataDirectory);
            if (ownership == null) {
                Properties record = readOwnerRecord(dataDirectory);
                Optional<ProcessHandle> owner = owner(record);
                if (owner.isEmpty() || !launcherIsGone(record)) {
                    throw new IllegalStateException("The embedded PostgreSQL's data directory " + dataDirectory
                            + " is in use by another running dev mode or test run"
                            + owner.map(p -> " (process " + p.pid() + ": " + commandOf(p) + ")").orElse("")
                            + "; its PostgreSQL: " + describe(readPidFile(pidFile)) + ". Stop that one first, or give "
                            + "this one its own directory with -Dembedded-postgresql.data-directory=<path>.");
                }
                stopOrphanedDevMode(owner.get(), dataDirectory);
                ownership = tryLock(channel, dataDirectory);
                if (ownership == null) {
                    throw new IllegalStateException("The embedded PostgreSQL's data directory " + dataDirectory
                            + " is still locked after the dev mode left running on it stopped. Start again.");
                }
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

    /** Records this JVM and its launcher as the owner of the embedded server now running on the directory. */
    static void recordOwner(File dataDirectory) {
        Properties record = new Properties();
        ProcessHandle self = ProcessHandle.current();
        record.setProperty("pid", Long.toString(self.pid()));
        self.info().startInstant().ifPresent(start -> record.setProperty("start", start.toString()));
        self.parent().ifPresent(launcher -> {
            record.setProperty("launcher.pid", Long.toString(launcher.pid()));
            launcher.info().startInstant().ifPresent(start -> record.setProperty("launcher.start", start.toString()));
        });
        try (OutputStream out = Files.newOutputStream(new File(dataDirectory, OWNER_RECORD).toPath())) {
            record.store(out, "The JVM running the embedded PostgreSQL on this directory, and the process that started it");
        } catch (IOException e) {
            // Without the record, a dev mode left running by a killed Maven is reported, not stopped.
            System.err.println("Could not record the embedded PostgreSQL's owner: " + e.getMessage());
        }
    }

    private static FileLock tryLock(FileChannel channel, File dataDirectory) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            throw new IllegalStateException("This JVM already runs an embedded PostgreSQL on " + dataDirectory
                    + " (an earlier start in this dev mode failed half-way). Restart dev mode.");
        }
    }

    /** The live JVM the directory's owner record names (the same process: same pid, same start), if any. */
    static Optional<ProcessHandle> recordedOwner(File dataDirectory) {
        return owner(readOwnerRecord(dataDirectory));
    }

    private static Optional<ProcessHandle> owner(Properties record) {
        return live(record.getProperty("pid"), record.getProperty("start"));
    }

    /** Whether the owner record names a launcher and that process is gone (its pid dead, or now another process). */
    private static boolean launcherIsGone(Properties record) {
        return record.getProperty("launcher.pid") != null
                && live(record.getProperty("launcher.pid"), record.getProperty("launcher.start")).isEmpty();
    }

    private static Optional<ProcessHandle> live(String pid, String start) {
        if (pid == null) {
            return Optional.empty();
        }
        try {
            return ProcessHandle.of(Long.parseLong(pid)).filter(ProcessHandle::isAlive)
                    .filter(p -> start == null || p.info().startInstant().map(s -> sameStart(s, Instant.parse(start))).orElse(true));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Properties readOwnerRecord(File dataDirectory) {
        Properties record = new Properties();
        try (InputStream in = Files.newInputStream(new File(dataDirectory, OWNER_RECORD).toPath())) {
            record.load(in);
        } catch (IOException e) {
            // No record (started by a version that kept none, or a test run): nothing is known of the owner.
        }
        return record;
    }

    private static void stopOrphanedDevMode(ProcessHandle devMode, File dataDirectory) {
        System.out.println("Stopping the dev mode JVM (pid " + devMode.pid() + ") that kept running, with its embedded "
                + "PostgreSQL on " + dataDirectory + ", after the process that started it (Maven) ended without "
                + "stopping it.");
        devMode.destroy();
        await(devMode, "The dev mode JVM (pid " + devMode.pid() + ") left running on " + dataDirectory);
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
        Optional<ProcessHandle> alive = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        Optional<Boolean> ours = alive.map(p -> isThePostmaster(p, pidFileLines, dataDirectory)).orElse(Optional.of(false));
        if (ours.isEmpty()) {
            return;
        }
        Optional<ProcessHandle> process = alive.filter(p -> ours.get());
        if (process.isEmpty()) {
            // The PostgreSQL that wrote it is gone, and its PID may now belong to another program, which PostgreSQL
            // would take for a server still running. No live embedded server owns the directory (checked above).
            Files.deleteIfExists(pidFile.toPath());
            System.out.println("Removed a stale " + PID_FILE + " from " + dataDirectory + " (pid " + pid
                    + " is no longer its PostgreSQL).");
            return;
        }
        System.out.println("Stopping the embedded PostgreSQL " + describe(pidFileLines) + " that an earlier dev mode "
                + "or test run left running on " + dataDirectory + " when it ended without shutting down (killed or "
                + "crashed). Its data is kept.");
        ProcessHandle postmaster = process.get();
        if (!stopFast(postmaster, dataDirectory)) {
            // SIGTERM: PostgreSQL's "smart" shutdown, which waits for its clients to leave.
            postmaster.destroy();
        }
        await(postmaster, "The embedded PostgreSQL " + describe(pidFileLines) + " left running on " + dataDirectory);
    }

    /**
     * PostgreSQL's "fast" shutdown (clients are disconnected, the data is kept), with the {@code pg_ctl} beside the
     * running server's own binary. False when that cannot be done here.
     */
    private static boolean stopFast(ProcessHandle postmaster, File dataDirectory) {
        Optional<File> pgCtl = postmaster.info().command().map(File::new)
                .map(binary -> new File(binary.getParentFile(), binary.getName().endsWith(".exe") ? "pg_ctl.exe" : "pg_ctl"))
                .filter(File::canExecute);
        if (pgCtl.isEmpty()) {
            return false;
        }
        try {
            Process stop = new ProcessBuilder(pgCtl.get().getPath(), "stop", "-D", dataDirectory.getPath(), "-m", "fast",
                    "-w", "-t", Long.toString(STOP_WAIT_SECONDS))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return stop.waitFor(STOP_WAIT_SECONDS + 5, TimeUnit.SECONDS) && stop.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void await(ProcessHandle process, String what) {
        try {
            process.onExit().get(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException(what + " did not stop within " + STOP_WAIT_SECONDS + " s. Stop it (kill -9 "
                    + process.pid() + ") and start again.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for " + what + " to stop", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Could not wait for " + what + " to stop", e);
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

    /**
     * Whether the process is the PostgreSQL that wrote the PID file, not another program (or another PostgreSQL)
     * that has its PID now. Everything the system tells of it must agree: PostgreSQL's server binary, a command
     * naming this data directory, and the same start time (the file's third line, in seconds since 1970). When the
     * system tells nothing of it, the process is left alone and so is the file (PostgreSQL then says what it finds).
     */
    private static Optional<Boolean> isThePostmaster(ProcessHandle process, List<String> pidFileLines, File dataDirectory) {
        ProcessHandle.Info info = process.info();
        Optional<Boolean> binary = info.command().map(command -> {
            String name = new File(command).getName();
            return name.equals("postgres") || name.equals("postgres.exe");
        });
        Optional<Boolean> directory = info.arguments().map(arguments -> List.of(arguments).contains(dataDirectory.getPath()));
        Optional<Boolean> started = info.startInstant().flatMap(start -> {
            try {
                return Optional.of(sameStart(start, Instant.ofEpochSecond(Long.parseLong(pidFileLines.get(2).trim()))));
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        });
        List<Boolean> known = Stream.of(binary, directory, started).flatMap(Optional::stream).toList();
        return known.isEmpty() ? Optional.empty() : Optional.of(!known.contains(false));
    }

    private static boolean sameStart(Instant one, Instant other) {
        return Duration.between(one, other).abs().compareTo(SAME_START) <= 0;
    }

    private static String commandOf(ProcessHandle process) {
        String command = process.info().commandLine().orElse("?");
        return command.length() > 160 ? command.substring(0, 160) + "…" : command;
    }
}
