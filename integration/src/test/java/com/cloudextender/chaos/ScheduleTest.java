package com.cloudextender.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ScheduleTest {
    @Test
    void theSameSeedGivesTheSameSchedule() {
        assertEquals(Schedule.draw(42, 20), Schedule.draw(42, 20));
        assertNotEquals(Schedule.draw(42, 20), Schedule.draw(43, 20));
    }

    @Test
    void everyFaultStrikesInsideItsEpisodeAndEveryKindIsDrawn() {
        Schedule s = Schedule.draw(7, 200);
        for (Schedule.Episode e : s.episodes()) {
            assertTrue(e.faultAt() >= 0 && e.faultAt() < e.commands(), e.toString());
        }
        for (Schedule.Kind k : Schedule.Kind.values()) {
            assertTrue(s.episodes().stream().anyMatch(e -> e.kind() == k), k.name());
        }
        for (Schedule.NetFault f : Schedule.NetFault.values()) {
            assertTrue(s.episodes().stream().anyMatch(e -> e.kind() == Schedule.Kind.NETWORK_FAULT && e.fault() == f),
                    f.name());
        }
    }

    @Test
    void percentilesAreNearestRank() {
        java.util.List<Long> v = java.util.List.of(5L, 1L, 4L, 2L, 3L);
        assertEquals(3, Figures.percentile(v, 50));
        assertEquals(5, Figures.percentile(v, 99));
        assertEquals(1, Figures.percentile(v, 1));
    }
}
