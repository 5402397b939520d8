package com.cloudextender.devcloud;

/**
 * A result the cloud received (the first copy; later copies only count).
 *
 * @param commandId the command id
 * @param extenderId the extender that sent the first copy
 * @param errorCode null when the command succeeded
 * @param payload the result's JSON
 * @param timesReceived how many copies arrived (redeliveries from the extender's outbox included)
 */
public record ResultView(String commandId, String extenderId, String errorCode, String payload, int timesReceived) {
}
