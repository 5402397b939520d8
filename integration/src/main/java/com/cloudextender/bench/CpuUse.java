package com.cloudextender.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time used by this JVM and by another process (slapd) between two points, beside the wall time, to
 * show whether a phase was bound by the machine's processors. The other process's time comes from
 * /proc/PID/stat (Linux), in clock ticks of 10 ms. Immutable.
 */
record CpuUse(long wallNanos, long jvmNanos, long peerNanos) {

    /** A reading now; {@code peerPid} below 0 means no other process. */
    static CpuUse now(long peerPid) {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        return new CpuUse(System.nanoTime(), os.getProcessCpuTime(), peerNanos(peerPid));
    }

    /** What was used from {@code start} to now. */
    static CpuUse since(CpuUse start, long peerPid) {
        CpuUse end = now(peerPid);
        return new CpuUse(end.wallNanos - start.wallNanos, end.jvmNanos - start.jvmNanos,
                end.peerNanos - start.peerNanos);
    }

    private static long peerNanos(long pid) {
        if (pid < 0) {
            return 0;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // Fields after the command name, which is in parentheses and may contain spaces.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
            return ticks * 10_000_000L; // USER_HZ is 100 on Linux
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    @Override
    public String toString() {
        return String.format("CPU over %.2f s: this JVM %.2f s, slapd %.2f s (%.0f%% of %d processors)", wallNanos / 1e9,
                jvmNanos / 1e9, peerNanos / 1e9, 100.0 * (jvmNanos + peerNanos) / wallNanos
                        / Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().availableProcessors());
    }
}
