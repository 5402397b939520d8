package com.cloudextender.modules.scep.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/**
 * Captures every log event at DEBUG and above, message and stack trace, for searching. HttpClient's wire
 * and header loggers stay OFF, as conf/logback.xml ships them: they print raw traffic (an Authorization
 * header, the challenge page) and the extender never enables them.
 */
public final class LogCapture implements AutoCloseable {
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final Level before = root.getLevel();
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Logger wire = (Logger) LoggerFactory.getLogger("org.apache.hc.client5.http.wire");
    private final Logger headers = (Logger) LoggerFactory.getLogger("org.apache.hc.client5.http.headers");

    public LogCapture() {
        appender.start();
        root.addAppender(appender);
        root.setLevel(Level.DEBUG);
        wire.setLevel(Level.OFF);
        headers.setLevel(Level.OFF);
    }

    /** Everything logged so far, one event per line, with arguments and stack traces. */
    public String text() {
        // AppenderBase.doAppend holds the appender's own lock while it adds to the list.
        synchronized (appender) {
            return appender.list.stream().map(e -> e.getLoggerName() + " " + e.getFormattedMessage()
                    + (e.getThrowableProxy() == null ? "" : "\n" + ThrowableProxyUtil.asString(e.getThrowableProxy())))
                    .collect(Collectors.joining("\n"));
        }
    }

    /** How many events were captured. */
    public int size() {
        synchronized (appender) {
            return appender.list.size();
        }
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        root.setLevel(before);
        wire.setLevel(null);
        headers.setLevel(null);
    }
}
