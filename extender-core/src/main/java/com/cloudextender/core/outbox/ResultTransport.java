package com.cloudextender.core.outbox;

import java.util.concurrent.CompletableFuture;

/** How the outbox reaches the cloud: the channel implements it. */
public interface ResultTransport {
    /** True while results can be sent. */
    boolean isConnected();

    /**
     * The current stream: a number that changes whenever a new stream starts (not when one is resumed, since
     * resumption delivers what was in flight itself). A stream delivers what was sent on it in order or breaks,
     * so a result sent on the current stream is not sent on it again while its acknowledgement is only late.
     */
    long stream();

    /**
     * Sends one result; the future completes when the cloud acknowledged it, and completes
     * exceptionally when it answered with an error, the wait timed out
     * ({@link org.jivesoftware.smack.SmackException.NoResponseException}), or the connection dropped.
     */
    CompletableFuture<Void> send(OutboxEntry entry);
}
