package com.cloudextender.core.command;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A count of bytes held against a fixed limit: the arguments of admitted commands that have not
 * finished. Admission reserves a command's bytes before it is queued and the worker releases them when
 * it is done with the command, whatever the outcome. Thread-safe and lock-free.
 */
final class ByteBudget {
    private final long limit;
    private final AtomicLong used = new AtomicLong();

    ByteBudget(long limit) {
        this.limit = limit;
    }

    /** Holds {@code bytes} if they fit under the limit; false (and nothing held) otherwise. */
    boolean tryReserve(long bytes) {
        while (true) {
            long now = used.get();
            if (now + bytes > limit) {
                return false;
            }
            if (used.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    void release(long bytes) {
        used.addAndGet(-bytes);
    }

    long used() {
        return used.get();
    }

    long limit() {
        return limit;
    }
}
