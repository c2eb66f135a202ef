package dev.customersessions.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A PostgreSQL primary with one streaming standby, as CloudNativePG runs them: made with the embedded PostgreSQL's own
 * binaries (initdb, pg_ctl, postgres; the same version the other tests use, no installation needed). The standby is a
 * copy of the freshly made primary, streaming from it; replication is synchronous ({@code synchronous_standby_names}:
 * a commit is acknowledged once the standby has it) or asynchronous.
 *
 * <p>{@link #stopPrimary} stops the primary as a switchover does ({@code fast}: sessions are terminated with 57P01) or
 * as a crash does ({@code immediate}); {@link #promoteStandby} promotes the standby, as the operator does next.
 */
public final class PostgresPair implements AutoCloseable {

    public final int primaryPort;
    public final int standbyPort;
    private final Path bin;
    private final Path primary;
    private final Path standby;

    private PostgresPair(Path bin, Path root, int primaryPort, int standbyPort) {
        this.bin = bin;
        this.primary = root.resolve("primary");
        this.standby = root.resolve("standby");
        this.primaryPort = primaryPort;
        this.standbyPort = standbyPort;
    }

    /** Makes and starts both, in {@code root} (emptied first). */
    public static PostgresPair start(Path root, int primaryPort, int standbyPort, boolean synchronous) throws IOException, InterruptedException {
        PostgresPair pair = new PostgresPair(binaries(), root, primaryPort, standbyPort);
        deleteTree(root);
        Files.createDirectories(root);
        pair.run("initdb", "-D", pair.primary.toString(), "-U", "postgres", "-A", "trust", "-E", "UTF-8", "--no-locale");
        append(pair.primary.resolve("postgresql.conf"), "port = " + primaryPort, "listen_addresses = '127.0.0.1'",
                "unix_socket_directories = ''", "wal_level = replica", "max_wal_senders = 4", "hot_standby = on", "fsync = off",
                "max_connections = 200", "wal_keep_size = 256MB", "track_commit_timestamp = on", "log_timezone = 'UTC'",
                "synchronous_standby_names = '" + (synchronous ? "standby" : "") + "'");
        pair.pgCtl(pair.primary, "start");
        pair.pgCtl(pair.primary, "stop", "-m", "fast"); // a clean copy of a stopped primary is a valid standby to start
        copyTree(pair.primary, pair.standby);
        Files.setPosixFilePermissions(pair.standby, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        // Once promoted, the standby is a primary without a standby of its own: it must not wait for one (as CloudNativePG's
        // "preferred" data durability, which drops synchronous replication while no standby is there).
        append(pair.standby.resolve("postgresql.conf"), "port = " + standbyPort, "synchronous_standby_names = ''",
                "primary_conninfo = 'host=127.0.0.1 port=" + primaryPort + " user=postgres application_name=standby'");
        Files.createFile(pair.standby.resolve("standby.signal"));
        pair.pgCtl(pair.primary, "start");
        pair.pgCtl(pair.standby, "start");
        return pair;
    }

    /** Stops the primary: {@code fast} (a switchover: sessions terminated, 57P01) or {@code immediate} (a crash). */
    public void stopPrimary(String mode) throws IOException, InterruptedException {
        pgCtl(primary, "stop", "-m", mode);
    }

    /** Promotes the standby and waits until it takes writes. */
    public void promoteStandby() throws IOException, InterruptedException {
        pgCtl(standby, "promote");
    }

    /**
     * When the promoted standby took connections as a primary: the time of its log's last "ready to accept connections".
     */
    public java.time.Instant standbyReadyAt() throws IOException {
        String ready = Files.readAllLines(Path.of(standby + ".log")).stream().filter(line -> line.contains("ready to accept connections"))
                .reduce((first, second) -> second).orElseThrow();
        return java.time.LocalDateTime.parse(ready.substring(0, 23).replace(' ', 'T')).toInstant(java.time.ZoneOffset.UTC);
    }

    /** A JDBC URL of the standby (the primary once promoted). */
    public String standbyUrl() {
        return "jdbc:postgresql://127.0.0.1:" + standbyPort + "/postgres?user=postgres";
    }

    /** A multi-host JDBC URL naming both, for the primary whichever it is (as one would outside Kubernetes). */
    public String multiHostUrl() {
        return "jdbc:postgresql://127.0.0.1:" + primaryPort + ",127.0.0.1:" + standbyPort + "/postgres?targetServerType=primary";
    }

    @Override
    public void close() throws IOException, InterruptedException {
        for (Path data : List.of(standby, primary)) {
            if (Files.exists(data.resolve("postmaster.pid"))) {
                run("pg_ctl", "-D", data.toString(), "-w", "-t", "20", "stop", "-m", "immediate");
            }
        }
    }

    private void pgCtl(Path data, String... action) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("pg_ctl", "-D", data.toString(), "-l", data + ".log", "-w", "-t", "60"));
        command.addAll(List.of(action));
        run(command.toArray(String[]::new));
    }

    private void run(String... command) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(List.of(command));
        line.set(0, bin.resolve(command[0]).toString());
        if ("root".equals(System.getProperty("user.name"))) {
            line.addAll(0, List.of("unshare", "-U")); // PostgreSQL refuses root; a user namespace of its own, as the library does
        }
        File output = primary.getParent().resolve("commands.log").toFile();
        Process process = new ProcessBuilder(line).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output)).start();
        if (!process.waitFor(90, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " failed; see " + output);
        }
    }

    /**
     * The embedded PostgreSQL's binaries, as its library unpacks them on first use (under java.io.tmpdir/embedded-pg):
     * started and stopped once here, so that they are unpacked whatever ran before.
     */
    private static Path binaries() throws IOException {
        EmbeddedPostgres.builder().start().close();
        Path unpacked = Path.of(System.getProperty("java.io.tmpdir"), "embedded-pg");
        try (Stream<Path> dirs = Files.list(unpacked)) {
            return dirs.map(dir -> dir.resolve("bin")).filter(dir -> Files.isExecutable(dir.resolve("pg_ctl")))
                    .max(Comparator.comparing(dir -> dir.toFile().lastModified()))
                    .orElseThrow(() -> new IllegalStateException("no unpacked PostgreSQL binaries in " + unpacked));
        }
    }

    private static void append(Path file, String... lines) throws IOException {
        Files.writeString(file, "\n" + String.join("\n", lines) + "\n", StandardOpenOption.APPEND);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(path));
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else if (!path.getFileName().toString().equals("postmaster.pid")) {
                    Files.copy(path, target);
                }
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
