package com.cloudextender.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.cloudextender.demo.DevPackages;

/**
 * micromdm's scepserver, a real SCEP CA, on a free port, started and stopped with {@code scripts/peers/scep}
 * in a folder of its own. Closing stops it; a shutdown hook stops it too if the JVM ends first. scepserver
 * listens on every interface: all traffic goes to 127.0.0.1.
 */
final class ScepCaPeer implements AutoCloseable {
    private final Path script;
    private final Path dir;
    private final String url;
    private final Thread stopper;

    private ScepCaPeer(Path script, Path dir, String url) {
        this.script = script;
        this.dir = dir;
        this.url = url;
        this.stopper = new Thread(this::stopQuietly, "stop-scepserver");
    }

    /** The SHA-256 fingerprint (hex) of the CA certificate scepserver created in its depot, for caFingerprint. */
    String caFingerprint() throws IOException {
        try (var in = java.nio.file.Files.newInputStream(dir.resolve("depot/ca.pem"))) {
            var ca = java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in);
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(ca.getEncoded()));
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("cannot read the CA certificate in " + dir.resolve("depot/ca.pem") + ": "
                    + e.getMessage(), e);
        }
    }

    /** Installs scepserver if missing, creates a CA in {@code dir} and serves SCEP with {@code challenge}. */
    static ScepCaPeer start(Path dir, String challenge) throws IOException, InterruptedException {
        Path script = DevPackages.root().resolve("scripts/peers/scep");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        run(script, Duration.ofMinutes(10), "install");
        // The script takes the challenge as an argument (it is a short-lived, per-run value); it is not printed.
        String url = run(script, Duration.ofSeconds(60), "start", dir.toString(), Integer.toString(port), challenge).strip();
        ScepCaPeer peer = new ScepCaPeer(script, dir, url);
        Runtime.getRuntime().addShutdownHook(peer.stopper);
        return peer;
    }

    /** The SCEP URL, on 127.0.0.1. */
    String url() {
        return url;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        run(script, Duration.ofSeconds(30), "stop", dir.toString());
        try {
            Runtime.getRuntime().removeShutdownHook(stopper);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down; the hook is running or done.
        }
    }

    private void stopQuietly() {
        try {
            run(script, Duration.ofSeconds(30), "stop", dir.toString());
        } catch (IOException | InterruptedException | RuntimeException e) {
            System.err.println("could not stop scepserver in " + dir + ": " + e.getMessage());
        }
    }

    /** Runs the script and returns its standard output; fails with its output when it fails. */
    private static String run(Path script, Duration limit, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(script.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("scep-peer", ".out");
        Path err = Files.createTempFile("scep-peer", ".err");
        try {
            Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroy);
                p.destroy();
                throw new IOException("scripts/peers/scep " + args[0] + " did not end within " + limit + ": "
                        + Files.readString(err, StandardCharsets.UTF_8));
            }
            if (p.exitValue() != 0) {
                throw new IOException("scripts/peers/scep " + args[0] + " failed (exit " + p.exitValue() + "): "
                        + Files.readString(err, StandardCharsets.UTF_8)
                        + (args[0].equals("install") ? " (installing scepserver needs root or password-less sudo)" : ""));
            }
            return Files.readString(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
