package com.cloudextender.core.diagnose;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a successful probe of the cloud learnt.
 *
 * @param chain      the verified certificate chain, leaf first (empty when TLS was not used)
 * @param httpStatus the status of the HTTP GET, or 0 when no request was sent
 * @param date       the server's HTTP {@code Date}, for the clock check
 * @param viaProxy   the proxy the connection went through, as {@code host:port}
 */
public record CloudAnswer(List<X509Certificate> chain, int httpStatus, Optional<Instant> date,
        Optional<String> viaProxy) {
}
