package com.cloudextender.core.lease;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.packet.StanzaError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.cloudextender.api.ModuleScheduler;
import com.cloudextender.core.protocol.LeaseIq;

/**
 * Asks the cloud for the customer-wide leases that this extender's singleton work needs, and keeps them
 * (docs/PROTOCOL.md section 11). A lease is wanted while at least one {@link Claim} on it is open. The
 * keeper asks for it, renews it at a third of its term, and treats it as lost when no renewal was
 * confirmed before its term minus a safety margin has passed, counted on the monotonic clock from when
 * the confirmed request was sent: the cloud starts its own count later (when the request arrives), so
 * the extender always gives the lease up before the cloud can give it to another extender, whatever the
 * two wall clocks say. When the channel is down no renewal is confirmed, so the lease lapses at that local
 * expiry. A cloud that answers {@code feature-not-implemented} or {@code service-unavailable} grants no
 * leases: the work then runs here as before, unfenced (logged once at INFO). Thread-safe.
 */
public final class LeaseKeeper implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LeaseKeeper.class);
    /** The term an extender asks for; the cloud's answer decides. */
    public static final Duration DEFAULT_TERM = Duration.ofSeconds(15);
    /** After a failed request (not connected, no answer): ask again this soon. */
    static final long RETRY_MILLIS = 1_000;
    /** A cloud without leases is asked again this rarely, in case it was upgraded meanwhile. */
    static final long UNSUPPORTED_RECHECK_MILLIS = 10 * 60_000;
    private static final long MIN_DELAY_MILLIS = 100;

    private final LeaseTransport transport;
    private final ScheduledExecutorService timer;
    private final boolean ownTimer;
    private final LongSupplier nanos;
    private final long wishedTermMillis;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicBoolean unsupportedLogged = new AtomicBoolean();
    private volatile boolean closed;

    /** @param wishedTerm the term asked for; the cloud may grant another one */
    public LeaseKeeper(LeaseTransport transport, Duration wishedTerm) {
        this(transport, Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lease-keeper");
            t.setDaemon(true);
            return t;
        }), true, System::nanoTime, wishedTerm);
    }

    /** For tests: a given timer and monotonic clock. */
    LeaseKeeper(LeaseTransport transport, ScheduledExecutorService timer, boolean ownTimer, LongSupplier nanos,
            Duration wishedTerm) {
        if (wishedTerm.toMillis() < 300) {
            throw new IllegalArgumentException("a lease term must be at least 300 ms, not " + wishedTerm);
        }
        this.transport = transport;
        this.timer = timer;
        this.ownTimer = ownTimer;
        this.nanos = nanos;
        this.wishedTermMillis = wishedTerm.toMillis();
    }

    /**
     * Starts wanting {@code lease}. {@code onGained} runs (on the keeper's thread) each time this extender
     * gains the lease, or learns that the cloud grants no leases.
     *
     * @throws IllegalArgumentException when the name is not a valid lease name
     */
    public synchronized Claim claim(String lease, Runnable onGained) {
        LeaseNames.check(lease);
        if (closed) {
            throw new IllegalStateException("the lease keeper is closed; lease " + lease + " cannot be claimed");
        }
        Entry e = entries.computeIfAbsent(lease, Entry::new);
        e.listeners.add(onGained);
        boolean first;
        synchronized (e) {
            first = e.claims++ == 0;
        }
        if (first) {
            schedule(e, 0);
        }
        return new Claim(e, onGained);
    }

    /** Every wanted lease, by name. */
    public List<LeaseStatus> status() {
        List<LeaseStatus> list = new ArrayList<>();
        entries.values().forEach(e -> list.add(e.status()));
        list.sort(java.util.Comparator.comparing(LeaseStatus::name));
        return list;
    }

    /** Gives back the leases held (best effort, not awaited) and stops asking. */
    @Override
    public synchronized void close() {
        closed = true;
        entries.values().forEach(this::giveBack);
        entries.clear();
        if (ownTimer) {
            timer.shutdownNow();
        }
    }

    private synchronized void unclaim(Entry e, Runnable listener) {
        e.listeners.remove(listener);
        boolean last;
        synchronized (e) {
            last = e.claims > 0 && --e.claims == 0;
        }
        if (last) {
            entries.remove(e.name, e);
            giveBack(e);
        }
    }

    private void giveBack(Entry e) {
        boolean held;
        synchronized (e) {
            held = e.heldNow();
            e.claims = 0;
            e.held = false;
            if (e.next != null) {
                e.next.cancel(false);
            }
        }
        if (held) {
            try {
                transport.send(LeaseIq.request(e.name, LeaseIq.RELEASE, 0));
            } catch (RuntimeException ex) {
                LOG.debug("Could not give lease {} back: {}", e.name, ex.toString());
            }
        }
    }

    private void schedule(Entry e, long delayMillis) {
        try {
            ScheduledFuture<?> f = timer.schedule(() -> ask(e), delayMillis, TimeUnit.MILLISECONDS);
            synchronized (e) {
                e.next = f;
            }
        } catch (RejectedExecutionException ex) {
            // closing
        }
    }

    private void ask(Entry e) {
        synchronized (e) {
            if (closed || e.claims == 0 || e.inFlight) {
                return;
            }
            e.inFlight = true;
        }
        long sent = nanos.getAsLong();
        CompletableFuture<LeaseIq> answer;
        try {
            answer = transport.send(LeaseIq.request(e.name, LeaseIq.ACQUIRE, wishedTermMillis));
        } catch (RuntimeException ex) {
            answer = CompletableFuture.failedFuture(ex);
        }
        answer.whenComplete((a, failure) -> {
            try {
                timer.execute(() -> onAnswer(e, sent, a, failure));
            } catch (RejectedExecutionException ex) {
                // closing
            }
        });
    }

    private void onAnswer(Entry e, long sent, LeaseIq answer, Throwable failure) {
        boolean gained = false;
        long delay;
        synchronized (e) {
            e.inFlight = false;
            if (closed || e.claims == 0) {
                return;
            }
            if (failure == null || refusesLeases(failure)) {
                e.answered = true;
                e.notifyAll();
            }
            if (failure != null) {
                if (refusesLeases(failure)) {
                    gained = !e.unsupported;
                    e.unsupported = true;
                    e.held = false;
                    delay = UNSUPPORTED_RECHECK_MILLIS;
                } else {
                    delay = RETRY_MILLIS; // not connected or no answer: the lease lapses at its local expiry
                }
            } else if (LeaseIq.HELD.equals(answer.state()) && answer.generation() > 0) {
                long term = answer.termMillis() > 0 ? answer.termMillis() : wishedTermMillis;
                gained = !e.heldNow() || e.generation != answer.generation();
                e.unsupported = false;
                e.held = true;
                e.generation = answer.generation();
                e.validUntil = sent + TimeUnit.MILLISECONDS.toNanos(term - margin(term));
                e.holder = null;
                e.term = term;
                delay = term / 3;
            } else {
                long term = answer.termMillis() > 0 ? answer.termMillis() : wishedTermMillis;
                e.unsupported = false;
                e.held = false;
                e.holder = answer.holder();
                delay = answer.retryMillis() > 0 ? Math.min(answer.retryMillis(), term / 3) : term / 3;
            }
        }
        if (gained) {
            if (e.unsupported) {
                if (unsupportedLogged.compareAndSet(false, true)) {
                    LOG.info("The cloud grants no leases (an older cloud): singleton work such as lease {} runs on "
                            + "this extender as before, even if other extenders of the customer run it too", e.name);
                }
            } else {
                LOG.info("Lease {} gained (generation {})", e.name, e.generation);
            }
            e.listeners.forEach(l -> {
                try {
                    l.run();
                } catch (RuntimeException ex) {
                    LOG.warn("A listener of lease {} failed: {}", e.name, ex.toString());
                }
            });
        }
        schedule(e, Math.max(MIN_DELAY_MILLIS, delay));
    }

    /** A fifth of the term: covers the cloud's processing and the two clocks' rate difference. */
    static long margin(long termMillis) {
        return termMillis / 5;
    }

    private static boolean refusesLeases(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof XMPPException.XMPPErrorException x && x.getStanzaError() != null) {
            StanzaError.Condition c = x.getStanzaError().getCondition();
            return c == StanzaError.Condition.feature_not_implemented || c == StanzaError.Condition.service_unavailable;
        }
        return false;
    }

    /** One wanted lease. Fields guarded by the entry itself. */
    private final class Entry {
        final String name;
        final List<Runnable> listeners = new CopyOnWriteArrayList<>();
        int claims;
        boolean inFlight;
        boolean held;
        boolean unsupported;
        long generation;
        long validUntil;
        long term;
        String holder;
        ScheduledFuture<?> next;
        boolean lostLogged = true;
        /** The cloud has answered a request for this lease (granted, taken or no leases at all). */
        boolean answered;

        Entry(String name) {
            this.name = name;
        }

        /** Held with a confirmed renewal that has not run out. */
        synchronized boolean heldNow() {
            boolean now = held && nanos.getAsLong() - validUntil < 0;
            if (held && !now && !lostLogged) {
                lostLogged = true;
                LOG.warn("Lease {} (generation {}) lost: no renewal was confirmed within its term; its work stops at "
                        + "the next chunk", name, generation);
            } else if (now) {
                lostLogged = false;
            }
            return now;
        }

        synchronized boolean holds(long gen) {
            return unsupported ? gen == 0 : heldNow() && generation == gen;
        }

        synchronized LeaseStatus status() {
            boolean h = heldNow();
            long valid = h ? TimeUnit.NANOSECONDS.toMillis(validUntil - nanos.getAsLong()) : 0;
            return new LeaseStatus(name, h || unsupported, generation, valid, h ? null : holder, !unsupported);
        }
    }

    /** One want of a lease; close it when the work that needs the lease stops. */
    public final class Claim implements AutoCloseable {
        private final Entry entry;
        private final Runnable listener;
        private final AtomicBoolean closedClaim = new AtomicBoolean();

        private Claim(Entry entry, Runnable listener) {
            this.entry = entry;
            this.listener = listener;
        }

        /**
         * As {@link #current()}, but first waits up to {@code waitMillis} for the cloud's first answer about the
         * lease: work a command starts just after the claim should not be refused only because that answer
         * is still on its way.
         */
        public ModuleScheduler.Lease current(long waitMillis) throws InterruptedException {
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
            synchronized (entry) {
                for (long left = waitMillis; !entry.answered && left > 0;
                        left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())) {
                    entry.wait(left);
                }
            }
            return current();
        }

        /** The lease for a run that starts now, or null when this extender does not hold it. */
        public ModuleScheduler.Lease current() {
            long gen;
            synchronized (entry) {
                if (entry.unsupported) {
                    return ModuleScheduler.Lease.unfenced(entry.name);
                }
                if (!entry.heldNow()) {
                    return null;
                }
                gen = entry.generation;
            }
            return new View(entry, gen);
        }

        @Override
        public void close() {
            if (closedClaim.compareAndSet(false, true)) {
                unclaim(entry, listener);
            }
        }
    }

    /** A run's view: held while the lease stays with this extender under the generation the run began with. */
    private record View(Entry entry, long generation) implements ModuleScheduler.Lease {
        @Override
        public String name() {
            return entry.name;
        }

        @Override
        public boolean held() {
            return entry.holds(generation);
        }
    }
}
