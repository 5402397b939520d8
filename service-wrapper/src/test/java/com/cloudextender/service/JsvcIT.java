package com.cloudextender.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.cloudextender.devcloud.CommandOutcome;
import com.cloudextender.devcloud.DevCloud;
import com.cloudextender.devcloud.DevCloudOptions;

/**
 * The daemon under a real jsvc (Apache Commons Daemon, Debian's package), from an installation folder laid out
 * like the distribution's (lib/, conf/, logs/): it starts, connects to a dev cloud, answers a command through
 * the cloud, and a {@code jsvc -stop} drains a running command and ends the process within the bound.
 *
 * <p>As root, jsvc is installed with {@code scripts/peers/jsvc install} and a failure fails the test. Without
 * root the test runs only if jsvc is already installed, and is skipped otherwise.
 */
class JsvcIT {
    private static final String CUSTOMER = "jsvc";
    /** ExtenderDaemon's grace plus closing; jsvc itself gives up after 60 s. */
    private static final Duration STOP_BOUND = ExtenderDaemon.STOP_GRACE.plusSeconds(10);
    private static DevCloud cloud;

    @TempDir
    static Path shared;
    @TempDir
    Path tmp;

    @BeforeAll
    static void jsvcAndCloud() throws Exception {
        ensureJsvc();
        cloud = DevCloud.start(DevCloudOptions.ephemeral(shared.resolve("cloud")));
    }

    @AfterAll
    static void cloudDown() {
        if (cloud != null) {
            cloud.close();
        }
    }

    private static void ensureJsvc() throws Exception {
        int uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        if (uid == 0) {
            Path script = Path.of(System.getProperty("it.conf", "../conf")).resolveSibling("scripts/peers/jsvc");
            Result r = run(List.of(script.toString(), "install"), Duration.ofMinutes(5), null);
            if (r.exit != 0) {
                fail("scripts/peers/jsvc install failed (exit " + r.exit + "): " + r.output);
            }
        } else {
            Assumptions.assumeTrue(onPath("jsvc"), "JsvcIT skipped: jsvc is not installed and installing it needs "
                    + "root; run as root (scripts/test does) or run: scripts/peers/jsvc install");
        }
        assertTrue(onPath("jsvc"), "jsvc is not on the PATH after scripts/peers/jsvc install");
    }

    private static boolean onPath(String command) {
        return which(command) != null;
    }

    /** The absolute path of {@code command} on the PATH, or null: jsvc re-executes itself and needs its path. */
    private static String which(String command) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":")).filter(d -> !d.isEmpty())
                .map(d -> Path.of(d, command).toAbsolutePath()).filter(Files::isExecutable).map(Path::toString)
                .findFirst().orElse(null);
    }

    record Result(int exit, String output) {
    }

    private static Result run(List<String> command, Duration timeout, Path workDir) throws Exception {
        Path out = Files.createTempFile("jsvc-it", ".out");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
            if (workDir != null) {
                pb.directory(workDir.toFile());
            }
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                fail(command.get(0) + " did not end within " + timeout.toSeconds() + " s: " + Files.readString(out));
            }
            return new Result(p.exitValue(), Files.readString(out));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** lib/ with this module's jar and runtime dependencies, conf/ from the project, logs/: the distribution's layout. */
    private Path installation() throws IOException {
        Path home = tmp.resolve("cloud-extender");
        Path lib = Files.createDirectories(home.resolve("lib"));
        try (Stream<Path> jars = Files.list(Path.of(System.getProperty("it.lib")))) {
            for (Path jar : (Iterable<Path>) jars::iterator) {
                Files.copy(jar, lib.resolve(jar.getFileName()));
            }
        }
        Path jar = Path.of(System.getProperty("it.jar"));
        Files.copy(jar, lib.resolve(jar.getFileName()));
        Path conf = Files.createDirectories(home.resolve("conf"));
        Path projectConf = Path.of(System.getProperty("it.conf"));
        for (String f : List.of("jvm.options", "logback.xml")) {
            Files.copy(projectConf.resolve(f), conf.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        Files.createDirectories(conf.resolve("publishers"));
        try (Stream<Path> pems = Files.list(projectConf.resolve("publishers"))) {
            for (Path pem : (Iterable<Path>) pems::iterator) {
                Files.copy(pem, conf.resolve("publishers").resolve(pem.getFileName()));
            }
        }
        Files.createDirectories(home.resolve("logs"));
        TestInstallation.writeConfig(home, cloud, CUSTOMER);
        return home;
    }

    /** The JVM options of conf/jvm.options, as the start scripts read them. */
    private static List<String> jvmOptions(Path home) throws IOException {
        return Files.readAllLines(home.resolve("conf/jvm.options")).stream().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    private static List<String> jsvc(Path home, String... more) throws IOException {
        String classpath;
        try (Stream<Path> jars = Files.list(home.resolve("lib"))) {
            classpath = jars.map(Path::toString).sorted().collect(Collectors.joining(":"));
        }
        List<String> c = new ArrayList<>(List.of(which("jsvc"), "-home", System.getProperty("java.home"),
                "-cwd", home.toString(), "-cp", classpath, "-pidfile", home.resolve("jsvc.pid").toString(),
                "-outfile", home.resolve("logs/jsvc.out").toString(),
                "-errfile", home.resolve("logs/jsvc.err").toString()));
        c.addAll(List.of(more));
        return c;
    }

    @Test
    void runsUnderJsvcAnswersThroughTheCloudAndStopsWithinTheBound() throws Exception {
        Path home = installation();
        Path pidFile = home.resolve("jsvc.pid");
        List<String> start = jsvc(home, "-wait", "30");
        start.addAll(jvmOptions(home));
        start.add("-Dextender.logDir=" + home.resolve("logs"));
        start.add("-Dlogback.configurationFile=" + home.resolve("conf/logback.xml"));
        start.add(ExtenderDaemon.class.getName());
        start.add(home.resolve("conf/extender.properties").toString());

        Result started = run(start, Duration.ofSeconds(45), home);
        long pid = -1;
        try {
            assertEquals(0, started.exit, "jsvc start failed: " + started.output + log(home));
            pid = Long.parseLong(Files.readString(pidFile).strip());
            assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "no process " + pid);

            String id = TestInstallation.awaitConnected(cloud, CUSTOMER, Duration.ofSeconds(30));
            CommandOutcome ping = cloud.sendToExtender(id, "core", "ping", "{\"echo\":\"jsvc\"}", Duration.ofSeconds(10))
                    .get(20, TimeUnit.SECONDS);
            assertTrue(ping.isOk(), ping.toString());
            assertTrue(ping.payload().contains("\"echo\":\"jsvc\""), ping.payload());

            // A command still running when the service stops: the stop waits for it and delivers its result.
            CompletableFuture<CommandOutcome> sleeping = cloud.sendToExtender(id, "core", "sleep", "{\"millis\":1500}",
                    Duration.ofSeconds(30));
            Thread.sleep(300);
            long t0 = System.nanoTime();
            Result stopped = run(jsvc(home, "-stop", ExtenderDaemon.class.getName()), STOP_BOUND.plusSeconds(5), home);
            long stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertEquals(0, stopped.exit, "jsvc -stop failed: " + stopped.output + log(home));
            assertTrue(stopMillis < STOP_BOUND.toMillis(), "the stop took " + stopMillis + " ms");

            CommandOutcome slept = sleeping.get(1, TimeUnit.SECONDS);
            assertTrue(slept.isOk(), "the running command's result should reach the cloud before the stop: " + slept);
            long gone = pid;
            assertFalse(ProcessHandle.of(gone).map(ProcessHandle::isAlive).orElse(false),
                    "the daemon process " + pid + " is still alive after jsvc -stop");
            assertFalse(Files.exists(pidFile), "jsvc left its PID file");
            assertFalse(cloud.extender(id).orElseThrow().connected(), "the cloud still sees the extender connected");
            // The logs went to the installation's logs/ folder, as the start scripts set it.
            assertTrue(Files.readString(home.resolve("logs/extender.log")).contains("Stopping") || Files
                    .readString(home.resolve("logs/extender.log")).contains(id), log(home));
        } finally {
            if (pid > 0) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    private static String log(Path home) {
        StringBuilder s = new StringBuilder();
        for (String f : List.of("logs/jsvc.out", "logs/jsvc.err", "logs/extender.log")) {
            Path p = home.resolve(f);
            try {
                if (Files.exists(p)) {
                    String text = Files.readString(p);
                    s.append("\n--- ").append(f).append(" ---\n").append(text.length() > 4000 ? text.substring(
                            text.length() - 4000) : text);
                }
            } catch (IOException e) {
                s.append("\n(cannot read ").append(f).append(": ").append(e).append(')');
            }
        }
        return s.toString();
    }
}
