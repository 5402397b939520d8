package com.cloudextender.chaos;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * One extender JVM ({@link ChaosExtenderMain}) started with the harness's own class path, less its test
 * artifacts (test jars and folders, test frameworks), which an installed extender does not have. Its output goes
 * to a log file shared by all the processes of a run; {@link #kill()} is a SIGKILL. Public for the soak
 * test ({@code com.cloudextender.soak}), which samples the process over time.
 */
public final class ExtenderProcess {
    private final Process process;
    private final Path log;
    private final long logStart;

    private ExtenderProcess(Process process, Path log, long logStart) {
        this.process = process;
        this.log = log;
        this.logStart = logStart;
    }

    public static ExtenderProcess start(Path home, Path config, Path journal, Path log, List<String> jvmOptions)
            throws IOException {
        long start = Files.exists(log) ? Files.size(log) : 0;
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new java.util.ArrayList<>(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC"));
        if (jvmOptions.stream().noneMatch(o -> o.startsWith("-Dlogback.configurationFile="))) {
            // The extender's own logging (INFO, console), whatever else a caller's class path holds.
            cmd.add("-Dlogback.configurationFile=logback.xml");
        }
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", absoluteClassPath(), ChaosExtenderMain.class.getName(),
                config.toString(), journal.toString()));
        Process p = new ProcessBuilder(cmd).directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return new ExtenderProcess(p, log, start);
    }

    /**
     * The harness's class path with absolute entries (the extender runs in its installation folder), without
     * its test artifacts: a class or a logback-test.xml found only there would make the process unlike an
     * installed extender.
     */
    static String absoluteClassPath() {
        return classPathFor(System.getProperty("java.class.path"));
    }

    /**
     * {@link #absoluteClassPath()} of {@code classPath}. A test runner's class-path jar (Surefire's and
     * Failsafe's {@code surefirebooter*.jar}, whose manifest lists the real entries) is replaced by its entries.
     */
    static String classPathFor(String classPath) {
        StringBuilder b = new StringBuilder();
        for (String entry : expandBooterJars(classPath)) {
            if (!entry.isEmpty() && !testArtifact(entry)) {
                b.append(b.length() == 0 ? "" : java.io.File.pathSeparator).append(Path.of(entry).toAbsolutePath());
            }
        }
        return b.toString();
    }

    private static List<String> expandBooterJars(String classPath) {
        List<String> out = new java.util.ArrayList<>();
        for (String entry : classPath.split(java.io.File.pathSeparator)) {
            Path p = Path.of(entry);
            String name = p.getFileName() == null ? "" : p.getFileName().toString();
            if (!name.startsWith("surefirebooter") || !name.endsWith(".jar")) {
                out.add(entry);
                continue;
            }
            try (java.util.jar.JarFile jar = new java.util.jar.JarFile(p.toFile())) {
                String listed = jar.getManifest() == null ? null
                        : jar.getManifest().getMainAttributes().getValue(java.util.jar.Attributes.Name.CLASS_PATH);
                if (listed == null) {
                    out.add(entry);
                    continue;
                }
                for (String url : listed.trim().split("\\s+")) {
                    java.net.URI u = p.toUri().resolve(url);
                    out.add(Path.of(u).toString());
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("cannot read the test runner's class-path jar " + entry, e);
            }
        }
        return out;
    }

    /** True for a test jar or folder, or a test framework's jar. */
    static boolean testArtifact(String entry) {
        Path p = Path.of(entry);
        String name = p.getFileName() == null ? "" : p.getFileName().toString();
        return name.equals("test-classes") || name.endsWith("-tests.jar")
                || TEST_FRAMEWORKS.stream().anyMatch(name::startsWith);
    }

    private static final List<String> TEST_FRAMEWORKS = List.of("junit-", "opentest4j-", "apiguardian-", "wiremock",
            "jazzer", "mockito", "byte-buddy", "objenesis", "hamcrest", "assertj");

    /** Waits for the ready line and returns the extender id it names. */
    public String awaitReady(Duration timeout) throws IOException, InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            String out = output();
            int at = out.indexOf(ChaosExtenderMain.READY + " ");
            if (at >= 0) {
                int eol = out.indexOf('\n', at);
                if (eol > 0) {
                    return out.substring(at + ChaosExtenderMain.READY.length() + 1, eol).trim();
                }
            }
            if (!process.isAlive()) {
                throw new IOException("the extender process exited with " + process.exitValue() + " before it was ready; "
                        + "its output:\n" + out);
            }
            Thread.sleep(20);
        }
        throw new IOException("the extender process was not ready within " + timeout + "; its output:\n" + output());
    }

    /** What this process wrote to the log so far. */
    String output() throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            long len = f.length() - logStart;
            byte[] b = new byte[(int) Math.max(0, len)];
            f.seek(logStart);
            f.readFully(b);
            return new String(b, StandardCharsets.UTF_8);
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL, then waits for the process to be gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** Open file descriptors of the process (Linux /proc). */
    public int fileDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(process.pid()), "fd"))) {
            return (int) fds.count();
        }
    }

    /** Threads of the process (Linux /proc). */
    public int threads() throws IOException {
        return (int) statusField("Threads:");
    }

    /** Resident set size of the process in KiB (Linux /proc, {@code VmRSS}). */
    public long rssKiB() throws IOException {
        return statusField("VmRSS:");
    }

    /** The number on a line of /proc/&lt;pid&gt;/status ({@code Threads:}, or {@code VmRSS:} without its kB). */
    private long statusField(String name) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith(name)) {
                return Long.parseLong(line.substring(name.length()).replace("kB", "").trim());
            }
        }
        throw new IOException("no " + name + " line in /proc/" + process.pid() + "/status");
    }
}
