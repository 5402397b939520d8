package com.cloudextender.core.proxy.auth;

import java.util.List;

import com.cloudextender.core.proxy.ProxyException;

/**
 * The proxy kept answering 407: the message names the proxy, the schemes it offered, those the
 * administrator allows, each one tried and why it failed, and what to change. It never holds a secret.
 */
public final class ProxyAuthException extends ProxyException {
    private static final long serialVersionUID = 1L;

    private final transient List<Challenge> offered;
    private final List<String> attempts;

    ProxyAuthException(String message, List<Challenge> offered, List<String> attempts) {
        super(message);
        this.offered = List.copyOf(offered);
        this.attempts = List.copyOf(attempts);
    }

    /** The challenges of the proxy's first 407, in its order. */
    public List<Challenge> offered() {
        return offered;
    }

    /** One line per scheme: tried and failed, or not tried and why. */
    public List<String> attempts() {
        return attempts;
    }
}
