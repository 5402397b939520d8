package com.cloudextender.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.cloudextender.demo.DevPackages;

/**
 * A private OpenLDAP slapd on a free loopback port, started and stopped with {@code scripts/peers/openldap}
 * (which loads the given LDIF with slapadd). Closing stops it; a shutdown hook stops it too if the JVM ends
 * first.
 */
final class OpenLdapPeer implements AutoCloseable {
    private final Path script;
    private final Path dir;
    private final Map<String, String> environment;
    private final int port;
    private final Thread stopper;

    private OpenLdapPeer(Path script, Path dir, Map<String, String> environment, int port) {
        this.script = script;
        this.dir = dir;
        this.environment = environment;
        this.port = port;
        this.stopper = new Thread(this::stopQuietly, "stop-slapd");
    }

    /**
     * Installs slapd if missing, then starts it in {@code dir} with {@code ldif} loaded.
     *
     * @param environment SLAPD_SUFFIX, SLAPD_ADMIN_PASSWORD, SLAPD_READER_PASSWORD (see the script's header)
     */
    static OpenLdapPeer start(Path dir, Map<String, String> environment, Path... ldif)
            throws IOException, InterruptedException {
        Path script = DevPackages.root().resolve("scripts/peers/openldap");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        OpenLdapPeer peer = new OpenLdapPeer(script, dir, environment, port);
        peer.run(Duration.ofMinutes(10), "install");
        List<String> args = new ArrayList<>(List.of("start", dir.toString(), Integer.toString(port)));
        for (Path p : ldif) {
            args.add(p.toString());
        }
        Runtime.getRuntime().addShutdownHook(peer.stopper);
        peer.run(Duration.ofMinutes(5), args.toArray(String[]::new));
        return peer;
    }

    int port() {
        return port;
    }

    String url() {
        return "ldap://127.0.0.1:" + port;
    }

    /** slapd's process id, or -1 when it is not known. */
    long pid() {
        try {
            return Long.parseLong(Files.readString(dir.resolve("slapd.pid")).strip());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        run(Duration.ofSeconds(30), "stop", dir.toString());
        try {
            Runtime.getRuntime().removeShutdownHook(stopper);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down; the hook is running or done.
        }
    }

    private void stopQuietly() {
        try {
            run(Duration.ofSeconds(30), "stop", dir.toString());
        } catch (IOException | InterruptedException | RuntimeException e) {
            System.err.println("could not stop slapd in " + dir + ": " + e.getMessage());
        }
    }

    private void run(Duration limit, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(script.toString()));
        command.addAll(List.of(args));
        Path log = Files.createTempFile("openldap-peer", ".log");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().putAll(environment);
            Process p = pb.start();
            if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroy);
                p.destroy();
                throw new IOException("scripts/peers/openldap " + args[0] + " did not end within " + limit + ": "
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
            if (p.exitValue() != 0) {
                throw new IOException("scripts/peers/openldap " + args[0] + " failed (exit " + p.exitValue() + "): "
                        + Files.readString(log, StandardCharsets.UTF_8)
                        + (args[0].equals("install") ? " (installing slapd needs root or password-less sudo)" : ""));
            }
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
