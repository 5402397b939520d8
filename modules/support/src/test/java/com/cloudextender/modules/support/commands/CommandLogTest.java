package com.cloudextender.modules.support.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.cloudextender.modules.testkit.FakeModuleContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CommandLogTest {
    @Test
    void aRecordedResultIsReturnedUntilItIsOlderThanTheRetention() {
        FakeModuleContext.MapState state = new FakeModuleContext.MapState();
        Instant t0 = Instant.parse("2026-12-05T10:00:00Z");
        CommandLog log = new CommandLog(state, Clock.fixed(t0, ZoneOffset.UTC), Duration.ofDays(7));
        assertEquals(Optional.empty(), log.result("c1"));
        log.record("c1", "{\"removed\":true,\"note\":\"é\"}");
        assertEquals(Optional.of("{\"removed\":true,\"note\":\"é\"}"), log.result("c1"));
        assertEquals(0, log.prune());
        CommandLog later = new CommandLog(state, Clock.fixed(t0.plus(Duration.ofDays(8)), ZoneOffset.UTC), Duration.ofDays(7));
        later.record("c2", "{}");
        assertEquals(1, later.prune());
        assertEquals(Optional.empty(), later.result("c1"));
        assertEquals(Optional.of("{}"), later.result("c2"));
    }

    @Test
    void aRetentionOfZeroIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new CommandLog(new FakeModuleContext.MapState(), Clock.systemUTC(), Duration.ZERO));
    }
}
