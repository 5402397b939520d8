package com.cloudextender.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;

class ExtenderDaemonTest {

    @Test
    void theConfigurationIsTheFirstArgumentWithTheInstallationDefault() {
        assertEquals(Path.of("/opt/x/conf/extender.properties"),
                ExtenderDaemon.configOf(new String[] {"/opt/x/conf/extender.properties", "ignored"}));
        assertEquals(Path.of("conf/extender.properties"), ExtenderDaemon.configOf(new String[0]));
        assertEquals(Path.of("conf/extender.properties"), ExtenderDaemon.configOf(null));
        // procrun passes an empty StartParams as one empty argument
        assertEquals(Path.of("conf/extender.properties"), ExtenderDaemon.configOf(new String[] {" "}));
    }

    @Test
    void stopBeforeStartDoesNothing() {
        ExtenderDaemon d = new ExtenderDaemon(Duration.ofSeconds(1));
        d.stop();
        d.destroy();
        assertNull(d.extender());
    }

    @Test
    void procrunStopWithoutAServiceReturnsAtOnce() {
        long t0 = System.nanoTime();
        ExtenderDaemon.stop(new String[0]);
        assertTrue(System.nanoTime() - t0 < 1_000_000_000L);
    }

    @Test
    void theStopGraceFitsJsvcsSixtySecondWait() {
        // jsvc -stop gives up after 60 s; the drain plus closing must end well before.
        assertTrue(ExtenderDaemon.STOP_GRACE.plusSeconds(10).compareTo(Duration.ofSeconds(60)) < 0);
    }

    /**
     * What jsvc does as root: load the class and call init(). In a fresh JVM whose logback.xml would create a
     * file as soon as logging starts, that file must not appear: the log configuration (which the service
     * account may edit) is read only after jsvc has switched users, at start().
     */
    @Test
    void initAsJsvcCallsItReadsNoLogConfiguration(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path marker = dir.resolve("logging-started.log");
        Path logback = dir.resolve("logback.xml");
        java.nio.file.Files.writeString(logback, "<configuration><appender name=\"F\" "
                + "class=\"ch.qos.logback.core.FileAppender\"><file>" + marker + "</file><encoder>"
                + "<pattern>%msg%n</pattern></encoder></appender><root level=\"INFO\"><appender-ref ref=\"F\"/>"
                + "</root></configuration>");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dlogback.configurationFile=" + logback,
                InitAsJsvc.class.getName(), dir.resolve("conf/extender.properties").toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("init done"), out);
        assertTrue(!java.nio.file.Files.exists(marker), "logging started during init(), as root: " + out);
        // The probe itself works: logging does start that file once something logs.
        Process q = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dlogback.configurationFile=" + logback,
                InitAsJsvc.class.getName(), "--then-log").redirectErrorStream(true).start();
        String out2 = new String(q.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(q.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), out2);
        assertTrue(java.nio.file.Files.exists(marker), "the probe's logging did not start: " + out2);
    }

    /** Loads ExtenderDaemon and calls init() the way jsvc does; with --then-log, logs one line afterwards. */
    public static final class InitAsJsvc {
        public static void main(String[] args) throws Exception {
            ExtenderDaemon d = new ExtenderDaemon();
            d.init(new org.apache.commons.daemon.DaemonContext() {
                @Override
                public org.apache.commons.daemon.DaemonController getController() {
                    return null;
                }

                @Override
                public String[] getArguments() {
                    return args;
                }
            });
            System.out.println("init done");
            if (args.length > 0 && args[0].equals("--then-log")) {
                org.slf4j.LoggerFactory.getLogger(InitAsJsvc.class).info("now logging");
            }
        }
    }
}
