package com.cloudextender.devcloud.routing;

import java.util.concurrent.CompletableFuture;

import org.jivesoftware.smack.packet.IQ;

import com.cloudextender.core.protocol.CommandIq;

/** Sends a command IQ to an extender's current session. */
@FunctionalInterface
public interface CommandTransport {
    /**
     * Sends {@code command} to {@code extenderId}.
     *
     * @return the extender's immediate answer (an accepted result or an IQ error); fails when the
     *         extender is not connected or its connection ends first
     */
    CompletableFuture<IQ> deliver(String extenderId, CommandIq command);
}
