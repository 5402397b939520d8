package com.cloudextender.core.outbox;

/**
 * One command result waiting for (or, in the remembered set, having had) the cloud's
 * acknowledgement. Immutable.
 *
 * @param replyTo    the address that sent the command; results go back there first
 * @param errorCode  {@code null} for success
 * @param payload    JSON text
 * @param finishedAt epoch milliseconds when the command finished
 * @param ackedAt    epoch milliseconds of the acknowledgement, 0 while pending
 */
public record OutboxEntry(String commandId, String module, String action, String replyTo, String errorCode,
        String payload, long elapsedMillis, long finishedAt, long ackedAt) {

    OutboxEntry acknowledged(long at) {
        return new OutboxEntry(commandId, module, action, replyTo, errorCode, payload, elapsedMillis, finishedAt, at);
    }
}
