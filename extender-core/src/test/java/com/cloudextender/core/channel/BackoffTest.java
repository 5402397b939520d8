package com.cloudextender.core.channel;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void growsExponentiallyWithinJitterBoundsAndIsCapped() {
        Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), new Random(42));
        long[] caps = {1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000};
        for (long cap : caps) {
            long d = b.next().toMillis();
            assertTrue(d >= cap / 2 && d <= cap, "delay " + d + " outside [" + cap / 2 + ", " + cap + "]");
        }
        b.reset();
        assertTrue(b.next().toMillis() <= 1000);
    }

    @Test
    void jitterSpreadsDelays() {
        Set<Long> seen = new HashSet<>();
        Random r = new Random(7);
        for (int i = 0; i < 20; i++) {
            Backoff b = new Backoff(Duration.ofSeconds(10), Duration.ofMinutes(5), r);
            seen.add(b.next().toMillis());
        }
        assertTrue(seen.size() > 10, "twenty extenders should not all retry at the same moment: " + seen);
    }

    @Test
    void hugeAttemptCountsStayAtTheCap() {
        Backoff b = new Backoff(Duration.ofMillis(500), Duration.ofMinutes(5), new Random(1));
        for (int i = 0; i < 100; i++) {
            b.next();
        }
        long d = b.next().toMillis();
        assertTrue(d >= 150_000 && d <= 300_000, "delay " + d);
    }
}
