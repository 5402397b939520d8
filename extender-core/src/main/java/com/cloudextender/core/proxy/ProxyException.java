package com.cloudextender.core.proxy;

import java.io.IOException;

/** A proxy refused or broke a tunnel; the message says which proxy, which destination and why. */
public class ProxyException extends IOException {
    private static final long serialVersionUID = 1L;

    public ProxyException(String message) {
        super(message);
    }

    public ProxyException(String message, Throwable cause) {
        super(message, cause);
    }
}
