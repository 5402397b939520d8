package com.cloudextender.core.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;

class LogRingTest {
    private static final LoggerContext CONTEXT = (LoggerContext) LoggerFactory.getILoggerFactory();
    private static final Logger LOGGER = CONTEXT.getLogger("com.cloudextender.test.Ring");

    private static LogRing started(int capacity) {
        LogRing ring = new LogRing(capacity);
        ring.setContext(CONTEXT);
        ring.start();
        return ring;
    }

    private static void log(LogRing ring, Level level, String message, Throwable t) {
        ring.doAppend(new LoggingEvent(LogRingTest.class.getName(), LOGGER, level, message, t, null));
    }

    @Test
    void keepsTheLastLinesOldestFirst() {
        LogRing ring = started(3);
        for (int i = 1; i <= 5; i++) {
            log(ring, Level.INFO, "line " + i, null);
        }
        List<LogLine> lines = ring.lines();
        assertEquals(List.of("line 3", "line 4", "line 5"), lines.stream().map(LogLine::message).toList());
        assertEquals("INFO", lines.get(0).level());
        assertEquals("com.cloudextender.test.Ring", lines.get(0).logger());
    }

    @Test
    void keepsInfoAndAboveOnly() {
        LogRing ring = started(10);
        log(ring, Level.DEBUG, "debug", null);
        log(ring, Level.TRACE, "trace", null);
        log(ring, Level.WARN, "warn", null);
        log(ring, Level.ERROR, "error", null);
        assertEquals(List.of("warn", "error"), ring.lines().stream().map(LogLine::message).toList());
    }

    @Test
    void aThrowableAddsItsClassAndMessageButNoStackTrace() {
        LogRing ring = started(10);
        log(ring, Level.WARN, "failed", new IllegalStateException("disk full"));
        assertEquals("failed (java.lang.IllegalStateException: disk full)", ring.lines().get(0).message());
    }

    @Test
    void aVeryLongMessageIsCut() {
        LogRing ring = started(1);
        log(ring, Level.INFO, "x".repeat(10_000), null);
        assertTrue(ring.lines().get(0).message().length() <= 2_001);
    }

    @Test
    void attachedToTheRootItCollectsUntilDetached() {
        LogRing ring = LogRing.attachToRoot(10);
        LoggerFactory.getLogger("com.cloudextender.test.Attached").info("seen {}", 1);
        ring.detach();
        LoggerFactory.getLogger("com.cloudextender.test.Attached").info("not seen");
        assertEquals(List.of("seen 1"), ring.lines().stream().map(LogLine::message)
                .filter(m -> m.contains("seen")).toList());
    }

    @Test
    void aCapacityBelowOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new LogRing(0));
    }
}
