package com.cloudextender.modules.directory.sync;

import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.SearchResultEntry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Hands what a reader reports to another sink on a thread of its own, through a bounded queue, so that
 * reading (LDAP decoding, on the connection's thread) and encoding and uploading (on this sink's
 * thread) overlap instead of taking turns. Reports travel in batches: handing over each entry alone
 * woke the other thread for every entry, which cost more than the entry's encoding. The queue bounds
 * memory: a reader that runs ahead waits, and the server waits for it. Items reach the target in the
 * order they were reported. Once the target
 * fails, what follows is dropped and the reader gets the failure at its next report, so that it stops.
 * The target is used by this sink's thread only; after {@link #finish} returns, its results may be
 * read by the caller.
 */
final class BackgroundSink implements ChangeSink, AutoCloseable {
    private static final Object END = new Object();
    private static final long POLL_MILLIS = 100;

    private final BlockingQueue<List<Object>> queue;
    private final ChangeSink target;
    private final Thread worker;
    private final int batchSize;
    /** What the reader reported since the last hand-over; guarded by this. */
    private List<Object> batch;
    private volatile Throwable failure;

    private record Present(String id) {
    }

    private record Deleted(String id) {
    }

    /**
     * Starts the thread.
     *
     * @param batchSize how many reports are handed over at once
     * @param batches   how many batches may wait; each entry holds its attributes, so keep
     *                  {@code batchSize * batches} small
     * @param name      the thread's name, for logs and thread dumps
     */
    BackgroundSink(ChangeSink target, int batchSize, int batches, String name) {
        this.target = target;
        this.batchSize = batchSize;
        this.batch = new ArrayList<>(batchSize);
        this.queue = new ArrayBlockingQueue<>(batches);
        this.worker = new Thread(this::drain, name);
        worker.setDaemon(true);
        worker.start();
    }

    @Override
    public void entry(SearchResultEntry entry) throws LDAPException, IOException, InterruptedException {
        hand(entry);
    }

    @Override
    public void present(String id) throws LDAPException, IOException, InterruptedException {
        hand(new Present(id));
    }

    @Override
    public void deleted(String id) throws LDAPException, IOException, InterruptedException {
        hand(new Deleted(id));
    }

    /**
     * Waits until the target has received every report, and rethrows its failure, if any.
     *
     * @throws IllegalStateException when called twice
     */
    void finish() throws LDAPException, IOException, InterruptedException {
        if (!worker.isAlive() && failure == null) {
            throw new IllegalStateException("finish() was already called");
        }
        synchronized (this) {
            batch.add(END);
            handOver();
        }
        worker.join();
        rethrow();
    }

    /** Stops the thread without waiting for what is queued: the read failed, or {@link #finish} already ran. */
    @Override
    public void close() throws InterruptedException {
        worker.interrupt();
        worker.join();
    }

    // Synchronized: the reader's thread reports, the caller's thread finishes.
    private synchronized void hand(Object item) throws LDAPException, IOException, InterruptedException {
        rethrow();
        batch.add(item);
        if (batch.size() >= batchSize) {
            handOver();
        }
    }

    private void handOver() throws LDAPException, IOException, InterruptedException {
        List<Object> full = batch;
        batch = new ArrayList<>(batchSize);
        // A bounded wait, so that a reader blocked on a full queue sees the target's failure.
        while (!queue.offer(full, POLL_MILLIS, TimeUnit.MILLISECONDS)) {
            rethrow();
        }
    }

    private void drain() {
        try {
            while (true) {
                for (Object item : queue.take()) {
                    if (item == END) {
                        return;
                    } else if (item instanceof SearchResultEntry e) {
                        target.entry(e);
                    } else if (item instanceof Present p) {
                        target.present(p.id());
                    } else if (item instanceof Deleted d) {
                        target.deleted(d.id());
                    }
                }
            }
        } catch (Throwable t) {
            failure = t;
            queue.clear(); // what is left will never be used; let the reader's next report through
        }
    }

    private void rethrow() throws LDAPException, IOException, InterruptedException {
        Throwable t = failure;
        if (t == null) {
            return;
        }
        if (t instanceof LDAPException e) {
            throw e;
        } else if (t instanceof IOException e) {
            throw e;
        } else if (t instanceof InterruptedException e) {
            throw e;
        } else if (t instanceof RuntimeException e) {
            throw e;
        } else if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException("the directory sync's encoding thread failed: " + t, t);
    }
}
