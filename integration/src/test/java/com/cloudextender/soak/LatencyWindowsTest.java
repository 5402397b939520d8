package com.cloudextender.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.cloudextender.devcloud.CommandOutcome;

class LatencyWindowsTest {
    private static final long MS = 1_000_000L;

    @Test
    void eachWindowHoldsTheCommandsSentSinceThePreviousSample() {
        List<CommandRecord> commands = new ArrayList<>();
        // Window (0, 1000 ms]: 100 commands of 1..100 ms; window (1000, 2000 ms]: one of 7 ms.
        for (int i = 1; i <= 100; i++) {
            commands.add(record(i * MS, i));
        }
        commands.add(record(1500 * MS, 7));
        double[] p99 = LatencyWindows.p99(commands, new long[] {0, 1000 * MS, 2000 * MS, 3000 * MS});
        assertTrue(Double.isNaN(p99[0]), "the first sample has no window");
        assertEquals(99, p99[1]);
        assertEquals(7, p99[2]);
        assertTrue(Double.isNaN(p99[3]), "a window without commands has no p99");
    }

    @Test
    void nearestRankPercentile() {
        assertEquals(3, LatencyWindows.percentile(new double[] {5, 1, 3, 2, 4}, 50));
        assertEquals(5, LatencyWindows.percentile(new double[] {5, 1, 3, 2, 4}, 100));
        assertTrue(Double.isNaN(LatencyWindows.percentile(new double[0], 99)));
    }

    private static CommandRecord record(long sentNanos, long millis) {
        return new CommandRecord(1, "core/ping", sentNanos, sentNanos + millis * MS,
                new CommandOutcome("c", "x", null, "{}", null, millis));
    }
}
