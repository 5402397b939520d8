package com.cloudextender.modules.directory.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudextender.modules.testkit.FakeModuleContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DeletionSweepTest {
    private final FakeModuleContext.MapState state = new FakeModuleContext.MapState();
    private final Instant now = Instant.parse("2026-12-05T12:00:00Z");

    @Test
    void aSweepIsDueWithoutARecordOrWhenTheLastOneIsAsOldAsTheAge() {
        assertTrue(DeletionSweep.due(state, "corp", Duration.ofHours(1), now), "never swept");
        state.put(DeletionSweep.stateKey("corp"), DeletionSweep.stamp(now.minus(Duration.ofMinutes(59))));
        assertFalse(DeletionSweep.due(state, "corp", Duration.ofHours(1), now));
        assertTrue(DeletionSweep.due(state, "corp", Duration.ZERO, now), "an age of 0s sweeps every delta");
        state.put(DeletionSweep.stateKey("corp"), DeletionSweep.stamp(now.minus(Duration.ofHours(1))));
        assertTrue(DeletionSweep.due(state, "corp", Duration.ofHours(1), now));
        assertTrue(DeletionSweep.due(state, "lab", Duration.ofHours(1), now), "per profile");
        state.put(DeletionSweep.stateKey("corp"), "garbage".getBytes(StandardCharsets.US_ASCII));
        assertTrue(DeletionSweep.due(state, "corp", Duration.ofHours(1), now), "an unreadable record means sweep now");
        assertEquals("position/corp/sweep", DeletionSweep.stateKey("corp"));
    }
}
