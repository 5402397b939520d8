package com.cloudextender.e2e;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import com.cloudextender.core.Extender;
import com.cloudextender.devcloud.CommandOutcome;
import com.cloudextender.devcloud.DevCloud;
import com.cloudextender.devcloud.DevCloudOptions;

/** One dev cloud per test class on loopback, a temporary home per test, and the waits the tests share. */
abstract class DevCloudTestBase {
    static final Duration T = Duration.ofSeconds(30);
    static DevCloud cloud;

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

    static void await(String what, BooleanSupplier c) throws InterruptedException {
        long end = System.nanoTime() + T.toNanos();
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(20);
        }
    }

    static CommandOutcome send(Extender x, String module, String action, String args) throws Exception {
        return cloud.sendToExtender(x.extenderId(), module, action, args, Duration.ofSeconds(20))
                .get(40, TimeUnit.SECONDS);
    }
}
