package com.cloudextender.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import com.cloudextender.soak.Trend.Direction;
import com.cloudextender.soak.Trend.Tolerance;

class TrendTest {
    private static final Tolerance FOUR = new Tolerance(0, 4);

    @Test
    void aWarmUpRiseFollowedByALevelIsFlat() {
        double[] threads = {20, 30, 38, 40, 41, 40, 41, 42, 41};
        Trend.Verdict v = Trend.judge(threads, FOUR);
        assertEquals(Direction.FLAT, v.direction());
        assertEquals(20, v.start());
        assertEquals(41, v.end());
    }

    @Test
    void aSteadyClimbIsRising() {
        // The descriptor leak of the earlier soak: about one more every minute.
        double[] fds = new double[31];
        for (int i = 0; i < fds.length; i++) {
            fds[i] = 169 + i * 33.0 / 30;
        }
        Trend.Verdict v = Trend.judge(fds, FOUR);
        assertEquals(Direction.RISING, v.direction());
        assertEquals(4, v.tolerance());
    }

    @Test
    void aFallBeyondTheToleranceIsFallingNotRising() {
        assertEquals(Direction.FALLING, Trend.judge(new double[] {90, 90, 80, 80, 60, 60}, FOUR).direction());
    }

    @Test
    void theRelativeToleranceWinsOnLargeValues() {
        Tolerance tenPercent = new Tolerance(0.10, 16);
        // Second third 300, last 325: 25 MiB more, within 10 % (30) though above 16.
        assertEquals(Direction.FLAT, Trend.judge(new double[] {100, 200, 300, 300, 325, 325}, tenPercent).direction());
        assertEquals(Direction.RISING, Trend.judge(new double[] {100, 200, 300, 300, 335, 335}, tenPercent).direction());
    }

    @Test
    void samplesWithoutAValueAreSkipped() {
        double[] p99 = {Double.NaN, 30, 31, 29, 30, 32, 31};
        Trend.Verdict v = Trend.judge(p99, new Tolerance(0.5, 20));
        assertEquals(Direction.FLAT, v.direction());
        assertEquals(30, v.start());
    }

    @Test
    void fewerThanSixSamplesAreTooShort() {
        assertEquals(Direction.TOO_SHORT, Trend.judge(new double[] {1, 2, 3, 4, 500}, FOUR).direction());
        assertEquals(Direction.TOO_SHORT, Trend.judge(new double[] {}, FOUR).direction());
    }

    @Test
    void medianOfEvenAndOddCounts() {
        assertEquals(2, Trend.median(new double[] {3, 1, 2}));
        assertEquals(2.5, Trend.median(new double[] {4, 1, 3, 2}));
    }
}
