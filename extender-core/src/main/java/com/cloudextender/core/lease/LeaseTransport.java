package com.cloudextender.core.lease;

import java.util.concurrent.CompletableFuture;

import com.cloudextender.core.protocol.LeaseIq;

/** Sends a lease request to the cloud and completes with its answer (or fails: not connected, an IQ error, no answer). */
@FunctionalInterface
public interface LeaseTransport {
    CompletableFuture<LeaseIq> send(LeaseIq request);
}
