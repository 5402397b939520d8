package com.cloudextender.modules.meg.log;

import java.time.Instant;

/**
 * One relayed request, as the access log writes it. Holds no body, no header value, no query string:
 * nothing that could carry a cookie, a token or a password.
 *
 * @param start    when the stream opened
 * @param user     the user as the cloud names them ({@code -} if the relay did not say)
 * @param method   the method
 * @param target   {@code scheme://host:port/path} without the query, or {@code host:port} for a byte stream
 * @param status   the status sent to the relay (0 if none was)
 * @param bytesIn  body bytes from the relay to the target
 * @param bytesOut body bytes from the target to the relay
 * @param millis   how long the stream lasted
 * @param outcome  {@code ok}, or the {@code meg-error} type
 * @param reason   the allow list's refusal reason, or a short failure cause; {@code -} if none
 */
public record AccessRecord(Instant start, String user, String method, String target, int status, long bytesIn,
        long bytesOut, long millis, String outcome, String reason) {
}
