package com.cloudextender.core.channel;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with "equal jitter": the n-th delay is drawn from [d/2, d] with
 * d = min(max, initial × 2ⁿ). The jitter spreads the reconnects of many extenders after a cloud
 * outage; the floor of d/2 keeps one extender from hammering the cloud.
 */
final class Backoff {
    private final Duration initial;
    private final Duration max;
    private final RandomGenerator random;
    private int attempt;

    Backoff(Duration initial, Duration max, RandomGenerator random) {
        this.initial = initial;
        this.max = max;
        this.random = random;
    }

    Duration next() {
        long cap = max.toMillis();
        long d = initial.toMillis() << Math.min(attempt, 30);
        if (d <= 0 || d > cap) {
            d = cap;
        }
        attempt++;
        long half = d / 2;
        return Duration.ofMillis(half + (d - half == 0 ? 0 : random.nextLong(d - half + 1)));
    }

    void reset() {
        attempt = 0;
    }
}
