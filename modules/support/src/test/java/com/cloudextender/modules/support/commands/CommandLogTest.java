package com.cloudextender.modules.support.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudextender.modules.testkit.FakeModuleContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CommandLogTest {
    @Test
    void aRecordedResultIsFoundByItsIdUntilItIsOlderThanTheRetention() {
        FakeModuleContext.MapState state = new FakeModuleContext.MapState();
        Instant t0 = Instant.parse("2026-12-05T10:00:00Z");
        CommandLog early = new CommandLog(state, Clock.fixed(t0, ZoneOffset.UTC), Duration.ofDays(7));
        early.record("cmd-1", "{\"wiped\":true}");
        assertEquals(Optional.of("{\"wiped\":true}"), early.result("cmd-1"));
        assertTrue(early.result("cmd-2").isEmpty());
        assertEquals(0, early.prune());

        CommandLog later = new CommandLog(state, Clock.fixed(t0.plus(Duration.ofDays(8)), ZoneOffset.UTC),
                Duration.ofDays(7));
        later.record("cmd-3", "x");
        assertEquals(1, later.prune());
        assertTrue(later.result("cmd-1").isEmpty());
        assertEquals(Optional.of("x"), later.result("cmd-3"));
    }
}
