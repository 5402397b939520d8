package com.cloudextender.core.channel;

import java.util.Objects;

/**
 * Decides whether the next connection resumes the dropped stream (XEP-0198) or starts a fresh one.
 * Resumption replays what was in flight on both sides. If something in flight breaks the stream, every
 * resumed stream breaks the same way and the extender never gets to serve anything else. So when a resumed
 * stream (or an attempt to resume) ends soon, with the same cause as the stream it resumed, the next
 * connection starts a fresh stream: the server then answers or drops the stanzas of the old one, and
 * the outbox sends again whatever results were not acknowledged.
 */
final class ResumptionGuard {
    private final long soonNanos;
    private String lastCause;
    private boolean freshNext;

    /** @param soonNanos a resumed stream that ends within this after it was resumed counts as failing again */
    ResumptionGuard(long soonNanos) {
        this.soonNanos = soonNanos;
    }

    /**
     * A stream, or an attempt to set one up, ended.
     *
     * @param cause     why, as described for the log (equal texts mean the same cause)
     * @param resumed   whether it was (or tried to be) a resumption of the previous stream
     * @param livedNanos how long it served after it was set up; 0 if the set-up failed
     */
    synchronized void ended(String cause, boolean resumed, long livedNanos) {
        freshNext = resumed && livedNanos < soonNanos && Objects.equals(cause, lastCause);
        lastCause = cause;
    }

    /** Whether the next connection may resume; false once, after a resumption failed again the same way. */
    synchronized boolean mayResume() {
        return !freshNext;
    }

    /** A fresh stream was set up: the next failure starts the count again. */
    synchronized void freshStreamStarted() {
        freshNext = false;
    }
}
