package dev.customersessions.support;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * PgBouncer (Debian's package) as a process of the test's own, in front of one PostgreSQL database {@code postgres}
 * (user and password postgres), on a free port, with its configuration and log in a folder of {@code target/}: the
 * configuration docs/pooler.md gives operators, with the pool mode and the number of server sessions given here.
 */
public final class PgBouncer implements AutoCloseable {

    public final int port;
    private final Process process;

    private PgBouncer(int port, Process process) {
        this.port = port;
        this.process = process;
    }

    /** The executable, on the PATH or in /usr/sbin; null (having said so, or failed with CI set) when there is none. */
    public static String executable(String test) {
        return ExternalTools.find(test, "apt-get install pgbouncer", "pgbouncer");
    }

    /** What {@code pgbouncer --version} says first ("PgBouncer 1.18.0"). */
    public static String version(String test) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(executable(test), "--version").redirectErrorStream(true).start();
        String first = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().findFirst().orElse("");
        process.waitFor();
        return first.trim();
    }

    /** The JDBC URL of the database through PgBouncer. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    public static PgBouncer start(String test, Path folder, int postgresPort, String poolMode, int serverSessions)
            throws IOException, InterruptedException {
        Files.createDirectories(folder);
        Path users = folder.resolve("userlist.txt");
        Files.writeString(users, "\"postgres\" \"postgres\"\n");
        int port = freePort();
        // pgJDBC sends extra_float_digits at start-up, which PgBouncer refuses unless told to ignore it. As root
        // (CI containers), PgBouncer refuses to run unless it may switch to another user.
        String ini = """
                [databases]
                postgres = host=127.0.0.1 port=%d dbname=postgres
                [pgbouncer]
                listen_addr = 127.0.0.1
                listen_port = %d
                unix_socket_dir =
                auth_type = md5
                auth_file = %s
                pool_mode = %s
                default_pool_size = %d
                max_client_conn = 200
                ignore_startup_parameters = extra_float_digits
                %s
                """.formatted(postgresPort, port, users.toAbsolutePath(), poolMode, serverSessions,
                System.getProperty("user.name").equals("root") ? "user = nobody" : "");
        Path config = folder.resolve("pgbouncer.ini");
        Files.writeString(config, ini);
        File log = folder.resolve("pgbouncer.log").toFile();
        Process process = new ProcessBuilder(executable(test), config.toAbsolutePath().toString()).redirectErrorStream(true)
                .redirectOutput(log).start();
        PgBouncer pgbouncer = new PgBouncer(port, process);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!accepts(port)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                pgbouncer.close();
                throw new IllegalStateException("PgBouncer did not start; see " + log + ":\n" + Files.readString(log.toPath()));
            }
            Thread.sleep(50);
        }
        return pgbouncer;
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
