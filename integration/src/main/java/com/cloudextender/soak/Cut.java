package com.cloudextender.soak;

/**
 * One channel cut: when the proxy reset the connection and when the cloud bound the extender's next
 * session ({@code System.nanoTime()} values).
 *
 * @param reconnectedNanos -1 when the extender did not come back within the wait
 */
record Cut(long atNanos, long reconnectedNanos) {
    boolean reconnected() {
        return reconnectedNanos >= 0;
    }

    /** The reconnect time in milliseconds, or -1. */
    long reconnectMillis() {
        return reconnected() ? (reconnectedNanos - atNanos) / 1_000_000 : -1;
    }

    /** The end of the outage; a cut never followed by a session lasts for ever. */
    long endNanos() {
        return reconnected() ? reconnectedNanos : Long.MAX_VALUE;
    }
}
