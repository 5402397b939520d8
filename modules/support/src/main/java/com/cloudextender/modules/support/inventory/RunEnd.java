package com.cloudextender.modules.support.inventory;

import java.nio.charset.StandardCharsets;

/**
 * The last record of a full sync run, {@code {"op":"end","complete":true|false}} (docs/PROTOCOL.md section
 * 11.3). {@code complete} says the run's upserts are every object of its source: the read was complete and
 * no deletion was held back. The cloud then drops the objects of that source the run did not upsert, once
 * it holds every chunk of the run up to this one. That is how a new lease holder removes an object that a
 * former holder uploaded and the source deleted since: its own baseline never knew the object, so it cannot
 * send the delete. Deltas carry no end record; they say exactly what changed.
 */
public final class RunEnd {
    private static final byte[] COMPLETE = "{\"op\":\"end\",\"complete\":true}\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PARTIAL = "{\"op\":\"end\",\"complete\":false}\n".getBytes(StandardCharsets.US_ASCII);

    private RunEnd() {
    }

    /** The end record, as a JSON line. */
    public static byte[] line(boolean complete) {
        return (complete ? COMPLETE : PARTIAL).clone();
    }
}
