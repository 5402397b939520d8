package com.cloudextender.devcloud.registration;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Limits how fast one client address may try activation codes, so that codes cannot be guessed: each
 * address has a budget of refused attempts that refills at a steady rate. While the budget is spent,
 * every attempt from that address (even with a valid code) is answered 429 with the wait. Successful
 * registrations cost nothing, so installing many extenders from one host is not slowed. Thread-safe.
 */
public final class RegistrationThrottle {
    /** Refused attempts an address may make at once. */
    public static final int DEFAULT_BURST = 5;
    /** How long it takes to earn back one refused attempt. */
    public static final Duration DEFAULT_REFILL = Duration.ofSeconds(12);
    /** Addresses remembered at most; the longest-idle ones are forgotten first. */
    private static final int MAX_ADDRESSES = 10_000;

    private final Clock clock;
    private final int burst;
    private final Duration refill;
    private final Map<InetAddress, Budget> budgets = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<InetAddress, Budget> eldest) {
            return size() > MAX_ADDRESSES;
        }
    };

    public RegistrationThrottle() {
        this(Clock.systemUTC(), DEFAULT_BURST, DEFAULT_REFILL);
    }

    RegistrationThrottle(Clock clock, int burst, Duration refill) {
        if (burst < 1 || refill.isNegative() || refill.isZero()) {
            throw new IllegalArgumentException("burst must be at least 1 and refill positive");
        }
        this.clock = clock;
        this.burst = burst;
        this.refill = refill;
    }

    /** How long {@code client} must wait before its next attempt, or empty when it may try now. */
    public synchronized Optional<Duration> waitFor(InetAddress client) {
        Budget b = budgets.get(client);
        if (b == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        // The budget is "spent" until the moment it has one attempt again.
        Instant nextAttempt = b.fullAt.minus(refill.multipliedBy(burst - 1L));
        return now.isBefore(nextAttempt) ? Optional.of(Duration.between(now, nextAttempt)) : Optional.empty();
    }

    /** Charges one refused attempt to {@code client}. */
    public synchronized void refused(InetAddress client) {
        Instant now = clock.instant();
        Budget b = budgets.get(client);
        Instant from = b == null || b.fullAt.isBefore(now) ? now : b.fullAt;
        budgets.put(client, new Budget(from.plus(refill)));
    }

    /** When the address's budget is full again: each refused attempt pushes it one refill further. */
    private record Budget(Instant fullAt) {
    }
}
