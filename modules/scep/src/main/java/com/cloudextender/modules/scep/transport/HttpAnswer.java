package com.cloudextender.modules.scep.transport;

/**
 * One HTTP answer, read whole (SCEP answers are small).
 *
 * @param status      the HTTP status
 * @param reason      the reason phrase, possibly empty
 * @param contentType the Content-Type header, or {@code null}
 * @param body        the body, empty when there was none
 */
public record HttpAnswer(int status, String reason, String contentType, byte[] body) {
}
