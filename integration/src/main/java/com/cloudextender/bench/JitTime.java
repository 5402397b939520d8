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

    /** Milliseconds spent compiling since the JVM started, summed over the compiler threads. */
    static long millis() {
        return JIT != null && JIT.isCompilationTimeMonitoringSupported() ? JIT.getTotalCompilationTime() : 0;
    }
}
