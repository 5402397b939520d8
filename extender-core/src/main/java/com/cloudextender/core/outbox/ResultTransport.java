package com.cloudextender.core.outbox;

import java.util.concurrent.CompletableFuture;

/** How the outbox reaches the cloud: the channel implements it. */
public interface ResultTransport {
    /** True while results can be sent. */
    boolean isConnected();

    /**
     * Sends one result; the future completes when the cloud acknowledged it, and completes
     * exceptionally when it answered with an error, the wait timed out, or the connection dropped.
     */
    CompletableFuture<Void> send(OutboxEntry entry);
}
