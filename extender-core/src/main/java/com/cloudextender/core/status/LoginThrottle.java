package com.cloudextender.core.status;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Slows password guessing on the status page, per client address: a few failed logins are free, then each
 * further one doubles the wait before the next attempt (1 s, 2 s, 4 s … at most 5 minutes). A successful
 * login clears the address. Thread-safe.
 */
final class LoginThrottle {
    /** Failed logins an address may make before it has to wait. */
    static final int FREE_FAILURES = 3;
    static final Duration FIRST_WAIT = Duration.ofSeconds(1);
    static final Duration LONGEST_WAIT = Duration.ofMinutes(5);
    private static final int MAX_ADDRESSES = 10_000;

    private final Clock clock;
    private final Map<InetAddress, Failures> failures = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<InetAddress, Failures> eldest) {
            return size() > MAX_ADDRESSES;
        }
    };

    LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    /** How long {@code client} must wait before its password is checked again, or empty. */
    synchronized Optional<Duration> waitFor(InetAddress client) {
        Failures f = failures.get(client);
        Instant now = clock.instant();
        return f == null || !now.isBefore(f.nextAttempt) ? Optional.empty()
                : Optional.of(Duration.between(now, f.nextAttempt));
    }

    synchronized void failed(InetAddress client) {
        Instant now = clock.instant();
        int count = failures.containsKey(client) ? failures.get(client).count + 1 : 1;
        Instant next = now;
        if (count > FREE_FAILURES) {
            int doublings = Math.min(count - FREE_FAILURES - 1, 20);
            Duration wait = FIRST_WAIT.multipliedBy(1L << doublings);
            next = now.plus(wait.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : wait);
        }
        failures.put(client, new Failures(count, next));
    }

    synchronized void succeeded(InetAddress client) {
        failures.remove(client);
    }

    private record Failures(int count, Instant nextAttempt) {
    }
}
