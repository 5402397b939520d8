package com.cloudextender.chaos;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import com.cloudextender.devcloud.DevCloud;
import com.cloudextender.devcloud.ExtenderView;

/**
 * Waits on what the dev cloud sees of an extender: a new session after a cut, a module version reported
 * active. Shared by the chaos harness and the soak test ({@code com.cloudextender.soak}).
 */
public final class CloudWaits {
    private CloudWaits() {
    }

    /**
     * Waits until the cloud holds a session of {@code extenderId} bound after {@code after}.
     *
     * @return the wait in milliseconds, or -1 if no such session came within {@code timeout}
     */
    public static long reconnectedAfter(DevCloud cloud, String extenderId, Instant after, Duration timeout)
            throws InterruptedException {
        long start = System.nanoTime();
        long end = start + timeout.toNanos();
        while (System.nanoTime() < end) {
            ExtenderView v = cloud.extender(extenderId).orElseThrow();
            if (v.connected() && v.connectedSince() != null && v.connectedSince().isAfter(after)) {
                return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            }
            Thread.sleep(2);
        }
        return -1;
    }

    /** Waits until the extender's health report lists {@code module} at {@code version}, active. */
    public static boolean moduleActive(DevCloud cloud, String extenderId, String module, String version,
            Duration timeout) throws InterruptedException {
        String entry = "{\"id\":\"" + module + "\",\"version\":\"" + version + "\",\"state\":\"active\"";
        long end = System.nanoTime() + timeout.toNanos();
        do {
            String health = cloud.extender(extenderId).map(ExtenderView::lastHealthJson).orElse(null);
            if (health != null && health.contains(entry)) {
                return true;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < end);
        return false;
    }
}
