package com.cloudextender.modules.meg.log;

import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The administrators' access log: one line per relayed request on its own logger,
 * {@value #LOGGER}, so that it can be routed to its own file. Values are quoted where they come from
 * the request, with quotes, backslashes and control characters escaped, so a line cannot be forged.
 */
public final class AccessLog {
    /** The logger's name. */
    public static final String LOGGER = "com.cloudextender.meg.access";

    private final Consumer<String> sink;

    /** Writes to the {@value #LOGGER} logger at INFO. */
    public AccessLog() {
        Logger log = LoggerFactory.getLogger(LOGGER);
        this.sink = line -> {
            if (log.isInfoEnabled()) {
                log.info(line);
            }
        };
    }

    /** Writes each line to {@code sink} (tests). */
    public AccessLog(Consumer<String> sink) {
        this.sink = sink;
    }

    public void write(AccessRecord r) {
        sink.accept(line(r));
    }

    /** The line for {@code r}. */
    public static String line(AccessRecord r) {
        return "time=" + r.start() + " user=" + quoted(r.user()) + " method=" + quoted(r.method()) + " target="
                + quoted(r.target()) + " status=" + r.status() + " in=" + r.bytesIn() + " out=" + r.bytesOut() + " ms="
                + r.millis() + " outcome=" + r.outcome() + " reason=" + quoted(r.reason());
    }

    private static String quoted(String s) {
        if (s == null || s.isEmpty()) {
            return "-";
        }
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length() && i < 512; i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\x%02x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}
