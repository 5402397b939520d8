package com.cloudextender.core.proxy.auth;

import com.cloudextender.core.proxy.ProxyException;

/** The proxy closed the connection that a connection-bound handshake (NTLM) had to stay on. */
public final class ConnectionLost extends ProxyException {
    private static final long serialVersionUID = 1L;

    public ConnectionLost(String message) {
        super(message);
    }
}
