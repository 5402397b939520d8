package com.cloudextender.modules.directory.testing;

import static org.junit.jupiter.api.Assertions.fail;

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
import org.junit.jupiter.api.Assumptions;

/**
 * Runs one of the project's {@code scripts/peers/<name>} scripts (install, start, stop a real server on
 * loopback) for an integration test, failing the test with the script's output when a command fails.
 */
public final class PeerScript {
    private final Path script;
    private final Map<String, String> environment;

    private PeerScript(Path script, Map<String, String> environment) {
        this.script = script;
        this.environment = environment;
    }

    /**
     * The script {@code name}, found above the module folder. Skips the calling test when not running
     * as root, since installing packages with apt-get needs it; fails it when the script is missing.
     */
    public static PeerScript named(String name, Map<String, String> environment) {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "skipped: scripts/peers/" + name + " installs packages with apt-get, which needs root; run as root");
        Path moduleDir = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
        Path root = moduleDir;
        while (root != null && !Files.isExecutable(root.resolve("scripts/peers/" + name))) {
            root = root.getParent();
        }
        if (root == null) {
            fail("scripts/peers/" + name + " not found above " + moduleDir);
        }
        return new PeerScript(root.resolve("scripts/peers/" + name), environment);
    }

    /** Runs the script with {@code args}; returns its standard output, or fails with everything it printed. */
    public String run(Duration limit, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(script.toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(environment);
        Path out = Files.createTempFile("peer-out", ".log");
        Path err = Files.createTempFile("peer-err", ".log");
        try {
            pb.redirectOutput(out.toFile()).redirectError(err.toFile());
            Process p = pb.start();
            if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroy);
                p.destroy();
                fail(script.getFileName() + " " + String.join(" ", args) + " did not end within " + limit
                        + ": " + Files.readString(err, StandardCharsets.UTF_8));
            }
            String stdout = Files.readString(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                fail(script.getFileName() + " " + String.join(" ", args) + " failed (exit " + p.exitValue() + "): "
                        + Files.readString(err, StandardCharsets.UTF_8) + stdout);
            }
            return stdout;
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** A TCP port on 127.0.0.1 that was free a moment ago. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Stops the process whose PID is in {@code pidFile}, if any: the fallback when the script could not. */
    public static void killByPidFile(Path pidFile) {
        try {
            if (Files.exists(pidFile)) {
                ProcessHandle.of(Long.parseLong(Files.readString(pidFile).strip())).ifPresent(ProcessHandle::destroy);
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("could not stop the server by its PID file " + pidFile + ": " + e);
        }
    }
}
