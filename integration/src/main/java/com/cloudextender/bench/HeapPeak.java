package com.cloudextender.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;

/**
 * Heap use of this JVM from the memory pool beans: the heap in use now, and the peak since the last
 * {@link #reset()}, as the sum of each heap pool's peak. Pools peak at different moments, so the sum is
 * an upper bound of the real peak; it counts garbage not yet collected, so it depends on -Xmx and the GC.
 */
final class HeapPeak {
    private HeapPeak() {
    }

    private static List<MemoryPoolMXBean> heapPools() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP).toList();
    }

    /** Heap in use after a full collection (live data, about). */
    static long usedAfterGc() {
        // Twice: the first collection may only promote what the second frees.
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Starts a new peak: every heap pool's peak becomes its current use. */
    static void reset() {
        heapPools().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    /** The sum of the heap pools' peaks since {@link #reset()}. */
    static long peakSinceReset() {
        return heapPools().stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    }

    static String mib(long bytes) {
        return String.format("%,.0f MiB", bytes / (1024.0 * 1024.0));
    }
}
