package com.cloudextender.soak;

/**
 * One sample of the extender process.
 *
 * @param nanos   {@code System.nanoTime()} when it was taken
 * @param minute  minutes since the load began
 * @param heapMiB heap used after a full collection
 * @param storeMiB size of the extender's local store file ({@code data/extender.mv.db})
 */
record Sample(long nanos, double minute, double rssMiB, double heapMiB, int threads, int fileDescriptors,
        double storeMiB) {
}
