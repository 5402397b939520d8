package com.cloudextender.core.channel;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.slf4j.Logger;

import com.cloudextender.core.protocol.WireText;

/**
 * Writes refused commands to the log without letting a flood of them flood the log: per sender, the
 * first {@code perMinute} refusals of each minute are written, the rest only counted, and once that
 * minute is over one line says how many were left out ("suppressed 4,990 refusals from X"). Summaries
 * are written with the next refusal or by {@link #flush()}, which the channel calls while connected.
 * Thread-safe.
 */
final class RefusalLog {
    /** Senders tracked at once; a flood from many made-up senders shares one entry beyond this. */
    private static final int MAX_SENDERS = 256;
    private static final String OTHERS = "other senders";
    private static final long WINDOW_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final Logger log;
    private final String what;
    private final int perMinute;
    private final LongSupplier nanoTime;
    private final Map<String, Window> windows = new LinkedHashMap<>();

    private static final class Window {
        final long start;
        int written;
        long suppressed;

        Window(long start) {
            this.start = start;
        }
    }

    /** @param what the plural noun the summary line counts, such as {@code refusals} */
    RefusalLog(Logger log, String what, int perMinute, LongSupplier nanoTime) {
        this.log = log;
        this.what = what;
        this.perMinute = perMinute;
        this.nanoTime = nanoTime;
    }

    /**
     * Writes the refusal through {@code line} unless this sender already had its share this minute.
     *
     * @param sender who sent the refused command, as received (it is escaped before it is logged)
     */
    void refused(Object sender, Runnable line) {
        String key = WireText.of(sender);
        boolean write;
        synchronized (this) {
            long now = nanoTime.getAsLong();
            summarise(now);
            if (!windows.containsKey(key) && windows.size() >= MAX_SENDERS) {
                key = OTHERS;
            }
            Window w = windows.computeIfAbsent(key, k -> new Window(now));
            write = w.written < perMinute;
            if (write) {
                w.written++;
            } else {
                w.suppressed++;
            }
        }
        if (write) {
            line.run();
        }
    }

    /** Writes the summaries of the minutes that are over. */
    void flush() {
        synchronized (this) {
            summarise(nanoTime.getAsLong());
        }
    }

    private void summarise(long now) {
        for (Iterator<Map.Entry<String, Window>> it = windows.entrySet().iterator(); it.hasNext();) {
            Map.Entry<String, Window> e = it.next();
            Window w = e.getValue();
            if (now - w.start >= WINDOW_NANOS) {
                if (w.suppressed > 0) {
                    log.warn("Suppressed {} {} from {} in the last minute (only the first {} per minute and "
                            + "sender are logged)", w.suppressed, what, e.getKey(), perMinute);
                }
                it.remove();
            }
        }
    }
}
