package com.cloudextender.devcloud;

/**
 * How a command ended, as the cloud saw it.
 *
 * <ul>
 * <li>A result from the extender: {@code errorCode} is null on success or the result's error code
 * (docs/PROTOCOL.md section 4), and {@code payload} is the result's JSON.</li>
 * <li>A refusal (the extender answered the command stanza with an IQ error carrying a
 * {@code <refused/>} condition, section 3.1): {@code refusedCode} and {@code errorCode} are both the
 * refusal code, and {@code payload} is {@code {"message":…}} with the extender's text.</li>
 * <li>No result in time: {@code errorCode} is {@code TIMEOUT} and {@code payload} says that the cloud
 * stopped waiting ({@code "local":true}).</li>
 * <li>The dev cloud closed while the command was pending: {@code errorCode} is {@code CANCELLED}.</li>
 * </ul>
 *
 * @param commandId the cloud's command id
 * @param extenderId the extender that answered, or that the command was last sent to (null if none)
 * @param errorCode null when the command succeeded
 * @param payload JSON text
 * @param refusedCode non-null when the extender refused the command stanza
 * @param elapsedMillis time from the cloud's send to the outcome, as measured by the cloud
 */
public record CommandOutcome(String commandId, String extenderId, String errorCode, String payload, String refusedCode,
        long elapsedMillis) {

    /** Whether the command ran and succeeded. */
    public boolean isOk() {
        return errorCode == null && refusedCode == null;
    }
}
