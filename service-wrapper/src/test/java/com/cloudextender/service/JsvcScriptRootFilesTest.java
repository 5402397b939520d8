package com.cloudextender.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * install/linux/extender-jsvc started as root, with a stand-in for jsvc that records the arguments it gets:
 * conf/jvm.options and conf/logback.xml reach the JVM only when root owns them and nobody else may write them.
 * Needs root (to start the script as root and to give files to another user); scripts/test runs as root.
 */
class JsvcScriptRootFilesTest {
    private static final Path SCRIPT = Path.of("../distribution/src/main/dist/install/linux/extender-jsvc");
    private static final int NOBODY = 65534;

    @TempDir
    Path tmp;
    private Path home;
    private Path recorded;

    record Run(int exit, String stderr, List<String> jsvcArguments) {
    }

    @BeforeEach
    void installation() throws Exception {
        int uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        Assumptions.assumeTrue(uid == 0, "needs root: the checks apply only when the script runs as root");
        home = tmp.resolve("cloud-extender");
        Files.createDirectories(home.resolve("lib"));
        Files.writeString(home.resolve("lib/extender.jar"), "");
        Files.createDirectories(home.resolve("logs"));
        Path script = Files.createDirectories(home.resolve("install/linux")).resolve("extender-jsvc");
        Files.copy(SCRIPT, script);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(Files.createDirectories(home.resolve("conf")).resolve("jvm.options"),
                "# options\n-Xmx64m\n-javaagent:/tmp/not-from-root.jar\n");
        Files.writeString(home.resolve("conf/logback.xml"), "<configuration/>\n");
        recorded = tmp.resolve("jsvc-arguments");
        Path fakeJsvc = tmp.resolve("jsvc");
        Files.writeString(fakeJsvc, """
                #!/bin/sh
                # Records its arguments one per line and writes the PID file, as jsvc -wait would.
                : >"%s"
                prev=
                for a in "$@"; do
                  printf '%%s\\n' "$a" >>"%s"
                  [ "$prev" = -pidfile ] && echo $$ >"$a"
                  prev=$a
                done
                exit 0
                """.formatted(recorded, recorded));
        Files.setPosixFilePermissions(fakeJsvc, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private Run start() throws Exception {
        ProcessBuilder pb = new ProcessBuilder("sh", home.resolve("install/linux/extender-jsvc").toString(), "start");
        pb.environment().put("JSVC", tmp.resolve("jsvc").toString());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("EXTENDER_PIDFILE", tmp.resolve("jsvc.pid").toString());
        pb.environment().remove("EXTENDER_JAVA_OPTS");
        Path err = tmp.resolve("stderr");
        pb.redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the script did not end");
        Files.deleteIfExists(tmp.resolve("jsvc.pid"));
        List<String> args = Files.exists(recorded) ? Files.readAllLines(recorded) : List.of();
        return new Run(p.exitValue(), Files.readString(err), args);
    }

    private void own(String file, int uid, String mode) throws IOException {
        Path p = home.resolve(file);
        Files.setAttribute(p, "unix:uid", uid);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
    }

    private static boolean passesLogback(Run r) {
        return r.jsvcArguments().stream().anyMatch(a -> a.startsWith("-Dlogback.configurationFile="));
    }

    @Test
    void filesOwnedByTheServiceAccountAreIgnoredWithAMessage() throws Exception {
        own("conf/jvm.options", NOBODY, "rw-r--r--");
        own("conf/logback.xml", NOBODY, "rw-r--r--");
        Run r = start();
        assertEquals(0, r.exit(), r.stderr());
        assertFalse(r.jsvcArguments().contains("-javaagent:/tmp/not-from-root.jar"), r.jsvcArguments().toString());
        assertFalse(r.jsvcArguments().contains("-Xmx64m"), r.jsvcArguments().toString());
        assertFalse(passesLogback(r), r.jsvcArguments().toString());
        assertTrue(r.stderr().contains("conf/jvm.options is ignored: it is owned by uid " + NOBODY + ", not root"),
                r.stderr());
        assertTrue(r.stderr().contains("conf/logback.xml is ignored: it is owned by uid " + NOBODY + ", not root"),
                r.stderr());
        assertTrue(r.stderr().contains("chown root:root"), r.stderr());
        // jsvc still switches to the service account and starts the extender.
        assertTrue(r.jsvcArguments().contains("-user"), r.jsvcArguments().toString());
        assertTrue(r.jsvcArguments().contains(ExtenderDaemon.class.getName()), r.jsvcArguments().toString());
    }

    @Test
    void rootOwnedFilesThatOthersMayWriteAreIgnored() throws Exception {
        own("conf/jvm.options", 0, "rw-rw-r--");
        own("conf/logback.xml", 0, "rw-r--rw-");
        Run r = start();
        assertEquals(0, r.exit(), r.stderr());
        assertFalse(r.jsvcArguments().contains("-javaagent:/tmp/not-from-root.jar"), r.jsvcArguments().toString());
        assertFalse(passesLogback(r), r.jsvcArguments().toString());
        assertTrue(r.stderr().contains("conf/jvm.options is ignored: its group or others may write it (mode 664)"),
                r.stderr());
        assertTrue(r.stderr().contains("conf/logback.xml is ignored: its group or others may write it (mode 646)"),
                r.stderr());
    }

    @Test
    void rootOwnedFilesOnlyRootMayWriteAreUsed() throws Exception {
        own("conf/jvm.options", 0, "rw-r--r--");
        own("conf/logback.xml", 0, "rw-r-----");
        Run r = start();
        assertEquals(0, r.exit(), r.stderr());
        assertTrue(r.jsvcArguments().contains("-Xmx64m"), r.jsvcArguments().toString());
        assertTrue(r.jsvcArguments().contains("-javaagent:/tmp/not-from-root.jar"), "root's own choice is kept");
        assertTrue(passesLogback(r), r.jsvcArguments().toString());
        assertFalse(r.stderr().contains("ignored"), r.stderr());
    }
}
