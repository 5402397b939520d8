package com.cloudextender.devcloud.lease;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cloud's side of customer-wide leases (docs/PROTOCOL.md section 11): per customer and lease name, at
 * most one holder, until the end of its term. A request from the holder before that end renews the term
 * and keeps the generation; a grant to anyone after the end (the same extender included) or to another
 * extender starts a new generation. Expiry is counted on the monotonic clock from when the request
 * arrived. Thread-safe.
 */
public final class LeaseTable {
    private static final Logger LOG = LoggerFactory.getLogger(LeaseTable.class);

    private final LongSupplier nanos;
    private final Map<Key, State> leases = new HashMap<>();
    private final List<Grant> grants = new ArrayList<>();
    private volatile Duration term;

    public LeaseTable(Duration term) {
        this(term, System::nanoTime);
    }

    LeaseTable(Duration term, LongSupplier nanos) {
        this.nanos = nanos;
        term(term);
    }

    /** Sets the term of grants and renewals from now on. */
    public void term(Duration term) {
        if (term.toMillis() < 300) {
            throw new IllegalArgumentException("a lease term must be at least 300 ms, not " + term);
        }
        this.term = term;
    }

    public Duration term() {
        return term;
    }

    /** Grants or renews {@code lease} of {@code customer} for {@code extenderId}, or says who holds it. */
    public synchronized Answer acquire(String customer, String extenderId, String lease) {
        long now = nanos.getAsLong();
        State s = leases.computeIfAbsent(new Key(customer, lease), k -> new State());
        long termNanos = term.toNanos();
        if (s.holder != null && now - s.expiresAt < 0) {
            if (s.holder.equals(extenderId)) {
                s.expiresAt = now + termNanos;
                return new Answer(true, s.generation, term.toMillis(), extenderId, 0);
            }
            return new Answer(false, s.generation, term.toMillis(), s.holder, Math.max(1, (s.expiresAt - now) / 1_000_000));
        }
        String previous = s.holder;
        s.generation++;
        s.holder = extenderId;
        s.expiresAt = now + termNanos;
        grants.add(new Grant(customer, lease, extenderId, s.generation, Instant.now(), now));
        LOG.info("Lease {} of customer '{}' granted to {} (generation {}{})", lease, customer, extenderId, s.generation,
                previous == null ? "" : previous.equals(extenderId) ? ", after its term ran out" : ", taken over from "
                        + previous);
        return new Answer(true, s.generation, term.toMillis(), extenderId, 0);
    }

    /** Ends {@code extenderId}'s hold of the lease, if it holds it; the next grant starts a new generation. */
    public synchronized boolean release(String customer, String extenderId, String lease) {
        State s = leases.get(new Key(customer, lease));
        if (s == null || !extenderId.equals(s.holder)) {
            return false;
        }
        s.holder = null;
        LOG.info("Lease {} of customer '{}' released by {} (generation {})", lease, customer, extenderId, s.generation);
        return true;
    }

    /**
     * Why an upload fenced with {@code generation} of {@code lease} must be dropped, or null when it may be
     * stored: it is stale once a newer generation has begun.
     */
    public synchronized String staleReason(String customer, String lease, long generation) {
        State s = leases.get(new Key(customer, lease));
        if (s == null || generation >= s.generation) {
            return null;
        }
        return "lease " + lease + " generation " + generation + " is stale: generation " + s.generation
                + " began (holder " + s.holder + "); the upload is dropped";
    }

    /** The current holder of {@code lease} of {@code customer} with an unexpired term, if any. */
    public synchronized java.util.Optional<String> holder(String customer, String lease) {
        State s = leases.get(new Key(customer, lease));
        return s == null || s.holder == null || nanos.getAsLong() - s.expiresAt >= 0 ? java.util.Optional.empty()
                : java.util.Optional.of(s.holder);
    }

    /** Every grant so far (not renewals), in order. */
    public synchronized List<Grant> grants() {
        return List.copyOf(grants);
    }

    private record Key(String customer, String lease) {
    }

    private static final class State {
        String holder;
        long generation;
        long expiresAt;
    }

    /**
     * The cloud's answer to an acquire.
     *
     * @param held        whether the requester holds the lease now
     * @param generation  the lease's current generation
     * @param termMillis  the term granted (or that the holder has)
     * @param holder      who holds it
     * @param retryMillis for a refusal: when the holder's term ends
     */
    public record Answer(boolean held, long generation, long termMillis, String holder, long retryMillis) {
    }

    /**
     * One grant: who got which generation, when (wall clock, and monotonic nanoseconds for measuring).
     */
    public record Grant(String customer, String lease, String extenderId, long generation, Instant at, long atNanos) {
    }
}
