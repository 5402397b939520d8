package com.cloudextender.modules.meg.tunnel;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Reconnect delays: doubling from the initial delay up to the cap, each with jitter (a random
 * 50 to 100 % of the step), so that many extenders cut off together do not return together.
 * Not thread-safe: one per connection slot, used on its event loop.
 */
public final class Backoff {
    private final Duration initial;
    private final Duration max;
    private final DoubleSupplier random;
    private int failures;

    public Backoff(Duration initial, Duration max, DoubleSupplier random) {
        this.initial = initial;
        this.max = max;
        this.random = random;
    }

    /** The delay before the next attempt, and one more failure counted. */
    public Duration next() {
        long cap = max.toMillis();
        long step = initial.toMillis() << Math.min(failures, 30);
        if (step <= 0 || step > cap) {
            step = cap;
        }
        failures++;
        return Duration.ofMillis((long) (step * (0.5 + 0.5 * random.getAsDouble())));
    }

    /** A connection worked: the next failure starts from the initial delay again. */
    public void reset() {
        failures = 0;
    }

    public int failures() {
        return failures;
    }
}
