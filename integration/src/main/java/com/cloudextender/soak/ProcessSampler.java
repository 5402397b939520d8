package com.cloudextender.soak;

import java.io.IOException;

import com.cloudextender.chaos.ExtenderProcess;
import com.cloudextender.chaos.HeapAfterGc;

/**
 * Samples the extender process: descriptors, threads and RSS from /proc first, then the heap after a forced
 * full collection (which would otherwise move RSS, and whose jcmd attaches to the process).
 */
final class ProcessSampler {
    private static final double KIB_PER_MIB = 1024;
    private final ExtenderProcess process;
    private final HeapAfterGc heap = new HeapAfterGc();
    private final long startNanos;
    private final java.nio.file.Path storeFile;

    ProcessSampler(ExtenderProcess process, long startNanos, java.nio.file.Path storeFile) {
        this.process = process;
        this.startNanos = startNanos;
        this.storeFile = storeFile;
    }

    Sample sample() throws IOException, InterruptedException {
        if (!process.isAlive()) {
            throw new IOException("the extender process " + process.pid() + " is gone; see its log");
        }
        long now = System.nanoTime();
        int fds = process.fileDescriptors();
        int threads = process.threads();
        double rss = process.rssKiB() / KIB_PER_MIB;
        double heapMiB = heap.usedKiB(process.pid()) / KIB_PER_MIB;
        double storeMiB = java.nio.file.Files.exists(storeFile)
                ? java.nio.file.Files.size(storeFile) / (KIB_PER_MIB * KIB_PER_MIB) : 0;
        return new Sample(now, (now - startNanos) / 60e9, rss, heapMiB, threads, fds, storeMiB);
    }
}
