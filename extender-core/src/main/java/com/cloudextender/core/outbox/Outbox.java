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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 */
public final class Outbox implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);
    private static final int MAX_BATCH = 2048;

    private final LocalStore store;
    private final SecretBox secrets;
    private final MVMap<String, String> pending;
    private final MVMap<String, String> remembered;
    private final ResultTransport transport;
    private final Duration rememberFor;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    /** Submitted but not yet committed; visible to {@link #find} so a redelivery in that window is seen. */
    private final Map<String, OutboxEntry> unsaved = new ConcurrentHashMap<>();
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread writer;

    private sealed interface Event permits Submitted, Acked, SendAll, Stop {
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
        this.store = store;
        this.secrets = secrets;
        this.pending = store.map("outbox.pending");
        this.remembered = store.map("outbox.remembered");
        this.transport = transport;
        this.rememberFor = rememberFor;
        this.clock = clock;
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

    /** The stored result of {@code commandId}, pending or already acknowledged, if there is one. */
    public Optional<OutboxEntry> find(String commandId) {
        OutboxEntry e = unsaved.get(commandId);
        if (e != null) {
            return Optional.of(e);
        }
        String s = pending.get(commandId);
        if (s == null) {
            s = remembered.get(commandId);
        }
        return Optional.ofNullable(s).map(this::decode);
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
            if (transport.isConnected() && inFlight.add(commandId)) {
                transport.send(e).whenComplete((ok, err) -> inFlight.remove(commandId));
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

    /**
     * Forgets acknowledged results older than the remembering period. Returns how many were dropped.
     */
    public int prune() {
        long cutoff = clock.millis() - rememberFor.toMillis();
        List<String> old = new ArrayList<>();
        for (Map.Entry<String, String> e : remembered.entrySet()) {
            if (decode(e.getValue()).ackedAt() < cutoff) {
                old.add(e.getKey());
            }
        }
        old.forEach(remembered::remove);
        if (!old.isEmpty()) {
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
                String s = pending.remove(a.commandId());
                if (s != null) {
                    remembered.put(a.commandId(), encode(decode(s).acknowledged(clock.millis())));
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
            for (String s : pending.values()) {
                sendOne(decode(s));
            }
        } else {
            toSend.forEach(this::sendOne);
        }
    }

    private void sendOne(OutboxEntry e) {
        if (!transport.isConnected() || !inFlight.add(e.commandId())) {
            return;
        }
        transport.send(e).whenComplete((ok, err) -> {
            inFlight.remove(e.commandId());
            if (err == null) {
                events.add(new Acked(e.commandId()));
            } else {
                LOG.debug("Result of command {} not acknowledged yet ({}); it stays in the outbox", e.commandId(),
                        err.toString());
            }
        });
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

    private OutboxEntry decode(String s) {
        try {
            // Entries written before results were sealed are plain JSON; they are read as they are.
            return json.readValue(secrets.open("outbox entry", s), OutboxEntry.class);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("damaged outbox entry in the local store: " + ex.getOriginalMessage(), ex);
        } catch (com.cloudextender.core.config.ConfigException ex) {
            throw new IllegalStateException("an outbox entry in the local store cannot be opened on this machine", ex);
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
