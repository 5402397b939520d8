package com.cloudextender.core.outbox;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records what the outbox sends; acknowledges automatically or not, as the test says. */
public final class FakeTransport implements ResultTransport {
    public volatile boolean connected = true;
    public volatile boolean autoAck = true;
    /** The current stream; a test raises it to stand for a reconnect. */
    public volatile long stream = 1;
    public final List<OutboxEntry> sent = new CopyOnWriteArrayList<>();
    public final List<CompletableFuture<Void>> unanswered = new CopyOnWriteArrayList<>();

    @Override
    public boolean isConnected() {
        return connected;
    }

    @Override
    public long stream() {
        return stream;
    }

    @Override
    public CompletableFuture<Void> send(OutboxEntry entry) {
        sent.add(entry);
        CompletableFuture<Void> f = new CompletableFuture<>();
        if (autoAck) {
            f.complete(null);
        } else {
            unanswered.add(f);
        }
        return f;
    }
}
