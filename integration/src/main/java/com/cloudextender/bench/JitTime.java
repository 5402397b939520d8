package com.cloudextender.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

/**
 * The JIT's compilation time so far, as the JVM reports it: a benchmark subtracts two readings to tell
 * whether a timed run shared the processors with the compiler (on 2 cores, a C2 compilation takes one of
 * them). Zero when the JVM does not report it.
 */
final class JitTime {
    private static final CompilationMXBean JIT = ManagementFactory.getCompilationMXBean();

    private JitTime() {
    }

    /**
     * Waits until the JIT has compiled for at most {@code quietMillis} over the last {@code windowMillis}, or
     * until {@code limitMillis} have passed; returns the milliseconds waited.
     */
    static long awaitQuiet(long quietMillis, long windowMillis, long limitMillis) throws InterruptedException {
        long start = System.nanoTime();
        long step = Math.max(10, windowMillis / 5);
        java.util.ArrayDeque<Long> readings = new java.util.ArrayDeque<>();
        while (true) {
            readings.addLast(millis());
            if (readings.size() > windowMillis / step) {
                long first = readings.removeFirst();
                if (readings.getLast() - first <= quietMillis) {
                    break;
                }
            }
            if ((System.nanoTime() - start) / 1_000_000 >= limitMillis) {
                break;
            }
            Thread.sleep(step);
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** Milliseconds spent compiling since the JVM started, summed over the compiler threads. */
    static long millis() {
        return JIT != null && JIT.isCompilationTimeMonitoringSupported() ? JIT.getTotalCompilationTime() : 0;
    }
}
