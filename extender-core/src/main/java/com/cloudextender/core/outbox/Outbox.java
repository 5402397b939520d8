package com.cloudextender.core.outbox;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.h2.mvstore.MVMap;
import org.jivesoftware.smack.SmackException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.cloudextender.core.protocol.WireText;
import com.cloudextender.core.secret.SecretBox;
import com.cloudextender.core.store.LocalStore;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Keeps every command result until the cloud acknowledges it, and remembers acknowledged results for a
 * while so that a redelivered command returns its first result instead of running again.
 *
 * <p>One thread owns all writes. It drains whatever has queued up (new results, acknowledgements),
 * applies it, commits once (group commit), and only then sends the new results. A result is therefore
 * on disk before it leaves the machine, and a burst of results costs one commit, not one per result.
 *
 * <p>An entry that cannot be opened any more (the machine key was lost or replaced, or the store is
 * damaged) is moved aside into {@code outbox.quarantine} rather than stopping the others: it is said
 * once in the log with what to do, counted in {@link #quarantinedCount()}, and a redelivery of its
 * command runs the command again, as after a lost result.
 */
public final class Outbox implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);
    private static final int MAX_BATCH = 2048;

    private final LocalStore store;
    private final SecretBox secrets;
    private final MVMap<String, String> pending;
    private final MVMap<String, String> remembered;
    /** Entries that could not be opened, by command id: where they were, when, why, and the sealed text. */
    private final MVMap<String, String> quarantine;
    private final AtomicBoolean quarantineExplained = new AtomicBoolean();
    /** Set by the writer thread only. */
    private boolean movedAsideUncommitted;
    private final ResultTransport transport;
    private final Duration rememberFor;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    /** Submitted but not yet committed; visible to {@link #find} so a redelivery in that window is seen. */
    private final Map<String, OutboxEntry> unsaved = new ConcurrentHashMap<>();
    /**
     * Results on their way, by command id: the stream they were sent on and when. A result is sent once per
     * stream while the cloud makes progress: it goes again on a new stream, after an error answer, or, on the
     * same stream, only when no acknowledgement at all arrived for {@code retryAfter} (the recipient went
     * silent, as a cloud client of an XMPP server that went away can). An acknowledgement that is merely late
     * (the cloud works through a backlog, acknowledging others) therefore never makes a second copy.
     */
    private final Map<String, Sent> sentOn = new ConcurrentHashMap<>();
    private final long retryAfterNanos;
    /** When the latest acknowledgement arrived (System.nanoTime), or 0 before any. */
    private volatile long lastAckNanos;

    private record Sent(long stream, long atNanos) {
    }
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread writer;

    private sealed interface Event permits Submitted, Acked, SendAll, Stop, Quarantine {
    }

    /** {@code sealed} was found in {@code map} under {@code commandId} and cannot be opened. */
    private record Quarantine(String map, String commandId, String sealed, String reason) implements Event {
    }

    /** What is kept of an entry that could not be opened; the sealed text may open again with the old key. */
    private record Quarantined(String from, long at, String reason, String sealed) {
    }

    /** Thrown by {@link #decode} for an entry that cannot be opened or read. */
    private static final class Undecodable extends Exception {
        private static final long serialVersionUID = 1L;

        Undecodable(String message) {
            super(message);
        }
    }

    private record Submitted(OutboxEntry entry) implements Event {
    }

    private record Acked(String commandId) implements Event {
    }

    private record SendAll() implements Event {
    }

    private record Stop() implements Event {
    }

    /**
     * @param secrets seals every stored result: a result may hold a secret (a one-time challenge, a
     *                user's attributes), and it stays on disk until acknowledged and then for
     *                {@code rememberFor}
     */
    public Outbox(LocalStore store, ResultTransport transport, Duration rememberFor, Clock clock, SecretBox secrets) {
        this(store, transport, rememberFor, clock, secrets, Duration.ofSeconds(30));
    }

    /**
     * @param retryAfter how long the cloud may acknowledge nothing at all before a result sent on the current
     *                   stream is sent on it again ({@code outbox.retryInterval})
     */
    public Outbox(LocalStore store, ResultTransport transport, Duration rememberFor, Clock clock, SecretBox secrets,
            Duration retryAfter) {
        this.retryAfterNanos = retryAfter.toNanos();
        this.store = store;
        this.secrets = secrets;
        this.pending = store.map("outbox.pending");
        this.remembered = store.map("outbox.remembered");
        this.quarantine = store.map("outbox.quarantine");
        this.transport = transport;
        this.rememberFor = rememberFor;
        this.clock = clock;
        restoreQuarantined();
        this.writer = new Thread(this::run, "outbox-writer");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /**
     * Drops every stored result: used when the data folder turns out to be a copy from another machine,
     * whose results belong to the original extender (which still has them).
     */
    public static void discardAll(LocalStore store) {
        store.<String, String>map("outbox.pending").clear();
        store.<String, String>map("outbox.remembered").clear();
        store.commit();
    }

    /** Stores a finished command's result and sends it once stored. Never blocks on I/O. */
    public void submit(OutboxEntry entry) {
        unsaved.put(entry.commandId(), entry);
        events.add(new Submitted(entry));
    }

    /**
     * The stored result of {@code commandId}, pending or already acknowledged, if there is one. A stored
     * result that cannot be opened counts as none (and is moved aside): the command then runs again.
     */
    public Optional<OutboxEntry> find(String commandId) {
        OutboxEntry e = unsaved.get(commandId);
        if (e != null) {
            return Optional.of(e);
        }
        String map = "outbox.pending";
        String s = pending.get(commandId);
        if (s == null) {
            map = "outbox.remembered";
            s = remembered.get(commandId);
        }
        return s == null ? Optional.empty() : Optional.ofNullable(decodeOrQuarantine(map, commandId, s));
    }

    /** Sends the stored result of {@code commandId} again (the cloud redelivered the command). */
    public void resend(String commandId) {
        OutboxEntry e = find(commandId).orElse(null);
        if (e == null || unsaved.containsKey(commandId)) {
            return; // not stored yet: it is sent as soon as it is
        }
        if (e.ackedAt() == 0) {
            sendOne(e);
        } else {
            // The cloud lost track of an acknowledged result: send it again; its new acknowledgement is a no-op.
            long stream = transport.stream();
            if (transport.isConnected() && markSent(commandId, stream)) {
                transport.send(e).whenComplete((ok, err) -> forget(commandId, stream));
            }
        }
    }

    /** Sends every unacknowledged result that is not already on its way (after a connect, and periodically). */
    public void sendAllPending() {
        events.add(new SendAll());
    }

    /** Results not yet acknowledged by the cloud. */
    public int pendingCount() {
        return pending.size() + unsaved.size();
    }

    /** Stored results that could not be opened and were moved aside (see the class description). */
    public int quarantinedCount() {
        return quarantine.size();
    }

    /**
     * Forgets acknowledged results older than the remembering period. Returns how many were dropped.
     */
    public int prune() {
        long cutoff = clock.millis() - rememberFor.toMillis();
        List<String> old = new ArrayList<>();
        for (Map.Entry<String, String> e : remembered.entrySet()) {
            OutboxEntry entry = decodeOrQuarantine("outbox.remembered", e.getKey(), e.getValue());
            if (entry != null && entry.ackedAt() < cutoff) {
                old.add(e.getKey());
            }
        }
        old.forEach(remembered::remove);
        // Quarantined entries are kept as long as results are remembered, for an administrator who can
        // still restore the old key; then they go.
        List<String> expired = new ArrayList<>();
        for (Map.Entry<String, String> e : quarantine.entrySet()) {
            if (quarantinedAt(e.getValue()) < cutoff) {
                expired.add(e.getKey());
            }
        }
        expired.forEach(quarantine::remove);
        if (!old.isEmpty() || !expired.isEmpty()) {
            store.commit();
        }
        return old.size();
    }

    /** Waits until everything submitted so far is stored (used by a graceful stop and by tests). */
    public boolean flush(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!unsaved.isEmpty() || !events.isEmpty()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    private void run() {
        List<Event> batch = new ArrayList<>();
        while (running.get()) {
            try {
                Event first = events.poll(1, TimeUnit.SECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                events.drainTo(batch, MAX_BATCH - 1);
                apply(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // The store failed (disk full, damaged file): results stay in 'unsaved' and are retried.
                LOG.error("Could not write command results to the local store {}: {}. The extender keeps them "
                        + "in memory and retries; free disk space or check the data folder.", store.file(),
                        e.toString());
                sleepQuietly();
                requeueUnsaved();
            } finally {
                batch.clear();
            }
        }
    }

    private void apply(List<Event> batch) {
        List<OutboxEntry> toSend = new ArrayList<>();
        boolean sendAll = false;
        boolean changed = false;
        for (Event ev : batch) {
            if (ev instanceof Submitted s) {
                pending.put(s.entry().commandId(), encode(s.entry()));
                toSend.add(s.entry());
                changed = true;
            } else if (ev instanceof Acked a) {
                sentOn.remove(a.commandId());
                String s = pending.remove(a.commandId());
                if (s != null) {
                    changed = true;
                    try {
                        remembered.put(a.commandId(), encode(decode(s).acknowledged(clock.millis())));
                    } catch (Undecodable u) {
                        moveAside("outbox.pending", a.commandId(), s, u.getMessage());
                    }
                }
            } else if (ev instanceof Quarantine q) {
                // Only if the entry is still the one that failed: a new result may have replaced it since.
                MVMap<String, String> from = q.map().equals("outbox.pending") ? pending : remembered;
                if (from.remove(q.commandId(), q.sealed())) {
                    moveAside(q.map(), q.commandId(), q.sealed(), q.reason());
                    changed = true;
                }
            } else if (ev instanceof SendAll) {
                sendAll = true;
            } else if (ev instanceof Stop) {
                running.set(false);
            }
        }
        if (changed) {
            store.commit();
        }
        for (OutboxEntry e : toSend) {
            unsaved.remove(e.commandId(), e);
        }
        if (sendAll) {
            for (Map.Entry<String, String> s : pending.entrySet()) {
                OutboxEntry e = decodeOrQuarantine("outbox.pending", s.getKey(), s.getValue());
                if (e != null) {
                    sendOne(e);
                }
            }
        } else {
            toSend.forEach(this::sendOne);
        }
        if (movedAsideUncommitted) {
            movedAsideUncommitted = false;
            store.commit();
        }
    }

    private void sendOne(OutboxEntry e) {
        long stream = transport.stream();
        if (!transport.isConnected() || !markSent(e.commandId(), stream)) {
            return;
        }
        transport.send(e).whenComplete((ok, err) -> {
            if (err == null) {
                lastAckNanos = System.nanoTime();
                // Still marked as on its way until the writer thread applies the acknowledgement: until then it
                // is in the pending map, and a pass over that map must not send it again.
                events.add(new Acked(e.commandId()));
                return;
            }
            if (!(unwrap(err) instanceof SmackException.NoResponseException)) {
                forget(e.commandId(), stream); // an error answer or a dropped stream: it may go again
            }
            LOG.debug("Result of command {} not acknowledged yet ({}); it stays in the outbox",
                    WireText.of(e.commandId()), WireText.of(err, 512));
        });
    }

    /**
     * Marks {@code commandId} as sent on {@code stream} now; false if it is on its way on that stream already and
     * the cloud acknowledged something since, or it was sent less than {@code retryAfter} ago.
     */
    private boolean markSent(String commandId, long stream) {
        long now = System.nanoTime();
        boolean[] marked = {false};
        sentOn.compute(commandId, (id, previous) -> {
            if (previous != null && previous.stream() == stream && (now - previous.atNanos() < retryAfterNanos
                    || now - lastAckNanos < retryAfterNanos)) {
                return previous;
            }
            marked[0] = true;
            return new Sent(stream, now);
        });
        return marked[0];
    }

    /** The send of {@code commandId} on {@code stream} is over; a later send (another stream) stays marked. */
    private void forget(String commandId, long stream) {
        sentOn.computeIfPresent(commandId, (id, sent) -> sent.stream() == stream ? null : sent);
    }

    private static Throwable unwrap(Throwable t) {
        while (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private void requeueUnsaved() {
        for (OutboxEntry e : unsaved.values()) {
            events.add(new Submitted(e));
        }
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String encode(OutboxEntry e) {
        try {
            return secrets.seal("outbox entry", json.writeValueAsString(e));
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("cannot encode outbox entry " + e.commandId(), ex);
        }
    }

    private OutboxEntry decode(String s) throws Undecodable {
        try {
            // Entries written before results were sealed are plain JSON; they are read as they are.
            return json.readValue(secrets.open("outbox entry", s), OutboxEntry.class);
        } catch (JsonProcessingException ex) {
            throw new Undecodable("damaged: " + ex.getOriginalMessage());
        } catch (com.cloudextender.core.config.ConfigException ex) {
            throw new Undecodable("it cannot be opened with this machine's key");
        }
    }

    /**
     * The entry, or null when it cannot be read; it is then moved aside by the writer thread, which owns
     * every write, so that it stops standing in the way of the others.
     */
    private OutboxEntry decodeOrQuarantine(String map, String commandId, String sealed) {
        try {
            return decode(sealed);
        } catch (Undecodable e) {
            if (Thread.currentThread() == writer) {
                (map.equals("outbox.pending") ? pending : remembered).remove(commandId, sealed);
                moveAside(map, commandId, sealed, e.getMessage());
                movedAsideUncommitted = true; // committed once at the end of the batch
            } else {
                events.add(new Quarantine(map, commandId, sealed, e.getMessage()));
            }
            return null;
        }
    }

    /** Puts an unreadable entry into the quarantine map; the first time in this process, says so and what to do. */
    private void moveAside(String map, String commandId, String sealed, String reason) {
        try {
            quarantine.put(commandId, json.writeValueAsString(new Quarantined(map, clock.millis(), reason, sealed)));
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("cannot encode a quarantined outbox entry", ex);
        }
        if (quarantineExplained.compareAndSet(false, true)) {
            LOG.warn("A stored command result in {} cannot be read ({}) and was moved aside to outbox.quarantine, "
                    + "so that the other results keep being sent; further ones are moved the same way and counted "
                    + "as outbox.quarantined in the status. This happens when the machine key (data/keys) was lost "
                    + "or replaced, or the local store was damaged. The cloud gets no result for these commands; "
                    + "if it sends one again, it runs again. If the old data/keys folder can be restored, stop the "
                    + "extender, put it back and start it: entries that open again are taken back at start. "
                    + "Quarantined entries are dropped after outbox.rememberFor ({} days).", map, reason,
                    rememberFor.toDays());
        } else {
            LOG.debug("Moved the unreadable stored result of command {} aside ({})", WireText.of(commandId), reason);
        }
    }

    /** Takes back quarantined entries that open again (the old machine key was put back). */
    private void restoreQuarantined() {
        int restored = 0;
        for (Map.Entry<String, String> e : quarantine.entrySet()) {
            try {
                Quarantined q = json.readValue(e.getValue(), Quarantined.class);
                decode(q.sealed());
                MVMap<String, String> to = q.from().equals("outbox.pending") ? pending : remembered;
                to.putIfAbsent(e.getKey(), q.sealed());
                quarantine.remove(e.getKey());
                restored++;
            } catch (JsonProcessingException | Undecodable | RuntimeException ex) {
                // still unreadable: stays where it is
            }
        }
        if (restored > 0) {
            store.commit();
            LOG.info("Took back {} quarantined command result(s) that can be opened again", restored);
        }
    }

    private long quarantinedAt(String value) {
        try {
            return json.readValue(value, Quarantined.class).at();
        } catch (JsonProcessingException e) {
            return 0; // unreadable bookkeeping: old enough to go
        }
    }

    @Override
    public void close() {
        if (running.get()) {
            events.add(new Stop());
            try {
                writer.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            running.set(false);
            writer.interrupt();
        }
    }
}
