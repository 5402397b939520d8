package com.cloudextender.service;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.commons.daemon.DaemonContext;
import org.apache.commons.daemon.DaemonController;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.cloudextender.devcloud.CommandOutcome;
import com.cloudextender.devcloud.DevCloud;
import com.cloudextender.devcloud.DevCloudOptions;

/**
 * A service stop through both entry points (jsvc's {@link ExtenderDaemon#stop()} and procrun's
 * {@link ExtenderDaemon#stop(String[])}) against a dev cloud on loopback: it drains running commands, keeps
 * their results and returns within its bound.
 */
class ExtenderDaemonStopIT {
    private static final Duration CONNECT = Duration.ofSeconds(30);
    private static DevCloud cloud;

    @TempDir
    static Path shared;
    @TempDir
    Path home;

    @BeforeAll
    static void cloudUp() throws Exception {
        cloud = DevCloud.start(DevCloudOptions.ephemeral(shared.resolve("cloud")));
    }

    @AfterAll
    static void cloudDown() {
        cloud.close();
    }

    private static DaemonContext contextWith(String... args) {
        return new DaemonContext() {
            @Override
            public DaemonController getController() {
                return null;
            }

            @Override
            public String[] getArguments() {
                return args;
            }
        };
    }

    private static CompletableFuture<CommandOutcome> sleep(String extenderId, long millis) {
        return cloud.sendToExtender(extenderId, "core", "sleep", "{\"millis\":" + millis + "}", Duration.ofSeconds(60));
    }

    private static void awaitRunning(ExtenderDaemon d) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (d.extender().statusReport().get("commands").toString().contains("running=0")) {
            if (System.nanoTime() > end) {
                throw new AssertionError("the command did not start: " + d.extender().statusReport());
            }
            Thread.sleep(10);
        }
    }

    @Test
    void stopWaitsForARunningCommandAndDeliversItsResult() throws Exception {
        Path conf = TestInstallation.writeConfig(home, cloud, "drain");
        ExtenderDaemon d = new ExtenderDaemon(Duration.ofSeconds(10));
        d.init(contextWith(conf.toString()));
        d.start();
        String id = TestInstallation.awaitConnected(cloud, "drain", CONNECT);
        CompletableFuture<CommandOutcome> outcome = sleep(id, 1500);
        awaitRunning(d);

        long t0 = System.nanoTime();
        d.stop();
        long stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);

        // The stop waited for the command instead of cutting it off, and delivered its result before closing.
        assertTrue(stopMillis >= 500 && stopMillis < 15_000, "stop took " + stopMillis + " ms");
        assertTrue(outcome.isDone(), "the result should reach the cloud before the stop returns");
        CommandOutcome o = outcome.get();
        assertTrue(o.isOk(), o.toString());
        assertTrue(o.payload().contains("\"slept\":1500"), o.payload());
        assertNull(d.extender());
        assertFalse(cloud.extender(id).orElseThrow().connected(), "the channel should be closed");
        d.destroy(); // a second stop, as jsvc calls destroy after stop: harmless
    }

    @Test
    void stopIsBoundedWhenACommandOutlastsTheGraceAndItsResultIsKept() throws Exception {
        Path conf = TestInstallation.writeConfig(home, cloud, "bounded");
        ExtenderDaemon d = new ExtenderDaemon(Duration.ofSeconds(2));
        d.init(contextWith(conf.toString()));
        d.start();
        String id = TestInstallation.awaitConnected(cloud, "bounded", CONNECT);
        CompletableFuture<CommandOutcome> outcome = sleep(id, 30_000);
        awaitRunning(d);

        long t0 = System.nanoTime();
        d.stop();
        long stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(stopMillis < 8_000, "a stop with a 2 s grace took " + stopMillis + " ms");

        // The interrupted command has a result (an error) that reaches the cloud, at the latest after a restart
        // from the outbox; it is not run again for its full 30 s.
        d.start();
        try {
            CommandOutcome o = outcome.get(15, TimeUnit.SECONDS);
            assertFalse(o.isOk(), o.toString());
        } finally {
            d.stop();
        }
    }

    @Test
    void procrunStopDrainsAndLetsTheStartMethodReturn() throws Exception {
        Path conf = TestInstallation.writeConfig(home, cloud, "procrun");
        CompletableFuture<Void> service = CompletableFuture.runAsync(() -> {
            try {
                ExtenderDaemon.start(new String[] {conf.toString()});
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        String id = TestInstallation.awaitConnected(cloud, "procrun", CONNECT);
        CompletableFuture<CommandOutcome> outcome = sleep(id, 1000);
        Thread.sleep(200);
        assertFalse(service.isDone(), "the StartMethod must block while the service runs");

        ExtenderDaemon.stop(new String[0]);
        assertTrue(outcome.isDone() && outcome.get().isOk(), "the result should be delivered before the stop returns");
        service.get(5, TimeUnit.SECONDS);
        assertFalse(cloud.extender(id).orElseThrow().connected());
    }

    @Test
    void procrunStopDuringStartStopsTheExtenderOnceStarted() throws Exception {
        Path conf = TestInstallation.writeConfig(home, cloud, "early-stop");
        CompletableFuture<Void> service = CompletableFuture.runAsync(() -> {
            try {
                ExtenderDaemon.start(new String[] {conf.toString()});
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(100); // the start is registering or connecting now
        ExtenderDaemon.stop(new String[0]);
        // Without the stop request kept across the start, the StartMethod would block for ever here.
        service.get(30, TimeUnit.SECONDS);
    }
}
