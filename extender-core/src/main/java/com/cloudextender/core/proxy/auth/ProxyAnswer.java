package com.cloudextender.core.proxy.auth;

import java.util.List;

/**
 * What a proxy answered to one request of an authentication exchange.
 *
 * @param status            the HTTP status code
 * @param statusLine        the status line, for messages
 * @param proxyAuthenticate the values of its {@code Proxy-Authenticate} headers, in order
 */
public record ProxyAnswer(int status, String statusLine, List<String> proxyAuthenticate) {
    public ProxyAnswer {
        proxyAuthenticate = List.copyOf(proxyAuthenticate);
    }

    /** The challenges in this answer. */
    public List<Challenge> challenges() {
        return Challenge.parse(proxyAuthenticate);
    }
}
