package com.cloudextender.soak;

import com.cloudextender.devcloud.CommandOutcome;

/**
 * A command the soak sent and how it ended ({@code System.nanoTime()} values).
 *
 * @param kind          module/action, e.g. {@code core/ping}
 * @param answeredNanos when the outcome came, -1 if none came
 * @param outcome       null if none came
 */
record CommandRecord(int number, String kind, long sentNanos, long answeredNanos, CommandOutcome outcome) {
    boolean answered() {
        return outcome != null;
    }

    boolean ok() {
        return outcome != null && outcome.isOk();
    }

    /**
     * Whether the outcome is an answer from the extender. The cloud's own {@code TIMEOUT} (it stopped
     * waiting, {@code "local":true}) and {@code CANCELLED} (it shut down) are not.
     */
    boolean answeredByExtender() {
        return outcome != null && !"CANCELLED".equals(outcome.errorCode())
                && !("TIMEOUT".equals(outcome.errorCode()) && outcome.payload() != null
                        && outcome.payload().contains("\"local\":true"));
    }

    double latencyMillis() {
        return (answeredNanos - sentNanos) / 1e6;
    }
}
