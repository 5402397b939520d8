package com.cloudextender.core.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {
    @Test
    void nothingRecordedReadsAsZero() {
        LatencyHistogram.Snapshot s = new LatencyHistogram().snapshot();
        assertEquals(0, s.count());
        assertEquals(0, s.quantileMillis(0.5));
        assertEquals(0, s.maxMillis());
    }

    @Test
    void quantilesFallInTheRightBucketAndNeverExceedTheMaximum() {
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 0; i < 98; i++) {
            h.record(40); // bucket (25, 50]
        }
        h.record(3_000); // bucket (2500, 5000]
        h.record(4_000);
        LatencyHistogram.Snapshot s = h.snapshot();
        assertEquals(100, s.count());
        assertEquals(98 * 40 + 7_000, s.sumMillis());
        assertEquals(4_000, s.maxMillis());
        long p50 = s.quantileMillis(0.5);
        assertTrue(p50 > 25 && p50 <= 50, "p50 " + p50);
        long p99 = s.quantileMillis(0.99);
        assertTrue(p99 > 2_500 && p99 <= 4_000, "p99 " + p99);
        assertEquals(4_000, s.quantileMillis(1.0));
    }

    @Test
    void durationsAboveTheLastBoundGoToTheOpenBucket() {
        LatencyHistogram h = new LatencyHistogram();
        h.record(900_000);
        LatencyHistogram.Snapshot s = h.snapshot();
        assertEquals(1, s.counts()[s.counts().length - 1]);
        long p50 = s.quantileMillis(0.5);
        assertTrue(p50 > 300_000 && p50 <= 900_000, "p50 " + p50);
        assertEquals(900_000, s.quantileMillis(1.0));
    }

    @Test
    void aBoundItselfCountsInItsBucket() {
        LatencyHistogram h = new LatencyHistogram();
        h.record(5);
        assertEquals(1, h.snapshot().counts()[0]);
    }

    @Test
    void aQuantileOutsideTheRangeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new LatencyHistogram().snapshot().quantileMillis(0));
    }
}
