package com.cloudextender.soak;

import java.nio.file.Path;
import java.time.Duration;

import com.cloudextender.chaos.CloudWaits;
import com.cloudextender.demo.DevPackages;
import com.cloudextender.devcloud.DevCloud;

/**
 * The soak's module swaps: each publishes a newer version of the example module (9.1.0, 9.2.0, …) in the
 * cloud, whose rollout sends the extender {@code modules/install}; the extender swaps the running module
 * while example/echo commands keep arriving. A swap counts when the extender reports the version active.
 */
final class ModuleSwaps {
    static final String MODULE = "example";
    private static final Duration ACTIVE_WAIT = Duration.ofMinutes(2);

    /** One swap: when it was published, how long until the extender reported it active (-1: never). */
    record Swap(String version, long atNanos, long millis) {
        boolean done() {
            return millis >= 0;
        }
    }

    private final DevCloud cloud;
    private final String extenderId;
    private final Path example;
    private final Path packages;
    private int next = 1; // 9.0.0 was installed before the load

    ModuleSwaps(DevCloud cloud, String extenderId, Path packages) {
        this.cloud = cloud;
        this.extenderId = extenderId;
        this.example = DevPackages.built(MODULE);
        this.packages = packages;
    }

    /** Publishes the next version and waits until the extender runs it. */
    synchronized Swap swap() throws Exception {
        String version = version(next++);
        long at = System.nanoTime();
        cloud.publishModule(DevPackages.withVersion(example, version, packages.resolve(MODULE + "-" + version + ".cxm")),
                "stable");
        boolean active = CloudWaits.moduleActive(cloud, extenderId, MODULE, version, ACTIVE_WAIT);
        return new Swap(version, at, active ? (System.nanoTime() - at) / 1_000_000 : -1);
    }

    /** 9.0.0 is the first install (before the load), 9.1.0 the first swap. */
    static String version(int n) {
        return "9." + n + ".0";
    }
}
