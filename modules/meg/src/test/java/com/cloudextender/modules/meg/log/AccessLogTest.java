package com.cloudextender.modules.meg.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class AccessLogTest {
    @Test
    void aLineHasEveryFieldAndEscapesWhatCameFromTheRequest() {
        AccessRecord r = new AccessRecord(Instant.parse("2026-01-02T03:04:05Z"), "bob\" status=200 x=\n", "GET",
                "http://intranet.corp:80/a", 403, 0, 12, 7, "refused-by-allowlist", "loopback");
        assertEquals("time=2026-01-02T03:04:05Z user=\"bob\\\" status=200 x=\\x0a\" method=\"GET\" "
                + "target=\"http://intranet.corp:80/a\" status=403 in=0 out=12 ms=7 outcome=refused-by-allowlist "
                + "reason=\"loopback\"", AccessLog.line(r));
        AccessRecord none = new AccessRecord(Instant.parse("2026-01-02T03:04:05Z"), null, "GET", "t", 200, 1, 2, 3,
                "ok", null);
        assertEquals("time=2026-01-02T03:04:05Z user=- method=\"GET\" target=\"t\" status=200 in=1 out=2 ms=3 "
                + "outcome=ok reason=-", AccessLog.line(none));
    }
}
