package com.cloudextender.core.status;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;

/**
 * A Logback appender that keeps the last log events at INFO or above in memory, for the status page.
 * It is attached to the root logger by code rather than in logback.xml, so that the page works with
 * any logging configuration and no events are kept while the page is off. Thread-safe.
 *
 * <p>Log messages never carry secrets in this project (checked by the no-secrets end-to-end test);
 * the page shows them as logged, HTML-escaped.
 */
public final class LogRing extends AppenderBase<ILoggingEvent> {
    private static final int MAX_MESSAGE_CHARS = 2_000;

    private final int capacity;
    private final Deque<LogLine> lines;

    /** A ring that keeps the last {@code capacity} events. */
    public LogRing(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, not " + capacity);
        }
        this.capacity = capacity;
        this.lines = new ArrayDeque<>(capacity);
        setName("status-page-log-ring");
    }

    /**
     * Creates a ring and attaches it to Logback's root logger, if Logback is the logging backend.
     *
     * @return the attached ring, or an empty unattached one when another backend is in use
     */
    public static LogRing attachToRoot(int capacity) {
        LogRing ring = new LogRing(capacity);
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            ring.setContext(context);
            ring.start();
            context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(ring);
        }
        return ring;
    }

    /** Detaches this ring from the root logger and stops it. */
    public void detach() {
        if (getContext() instanceof LoggerContext context) {
            Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
            root.detachAppender(this);
        }
        stop();
    }

    @Override
    protected void append(ILoggingEvent event) {
        if (!event.getLevel().isGreaterOrEqual(Level.INFO)) {
            return;
        }
        LogLine line = new LogLine(Instant.ofEpochMilli(event.getTimeStamp()), event.getLevel().toString(),
                event.getThreadName(), event.getLoggerName(), message(event));
        synchronized (lines) {
            if (lines.size() == capacity) {
                lines.removeFirst();
            }
            lines.addLast(line);
        }
    }

    private static String message(ILoggingEvent event) {
        String text = String.valueOf(event.getFormattedMessage());
        IThrowableProxy t = event.getThrowableProxy();
        if (t != null) {
            // The cause's class and message only: a stack trace belongs in the log file, not on the page.
            text = text + " (" + t.getClassName() + (t.getMessage() == null ? "" : ": " + t.getMessage()) + ")";
        }
        return text.length() > MAX_MESSAGE_CHARS ? text.substring(0, MAX_MESSAGE_CHARS) + "…" : text;
    }

    /** The kept lines, oldest first. */
    public List<LogLine> lines() {
        synchronized (lines) {
            return new ArrayList<>(lines);
        }
    }
}
