package com.cloudextender.modules.meg.tunnel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void delaysDoubleUpToTheCapWithJitterAndStartOverAfterAReset() {
        Backoff top = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), () -> 1.0);
        long[] expected = {1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000};
        for (long e : expected) {
            assertEquals(e, top.next().toMillis());
        }
        for (int i = 0; i < 100; i++) {
            assertEquals(60000, top.next().toMillis(), "never overflows past the cap");
        }
        top.reset();
        assertEquals(1000, top.next().toMillis());

        Backoff bottom = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), () -> 0.0);
        assertEquals(500, bottom.next().toMillis(), "jitter takes off at most half");
        Backoff random = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(2), Math::random);
        for (int i = 0; i < 50; i++) {
            long d = random.next().toMillis();
            assertTrue(d >= 100 && d <= 2000, "within [half the step, cap]: " + d);
        }
    }
}
