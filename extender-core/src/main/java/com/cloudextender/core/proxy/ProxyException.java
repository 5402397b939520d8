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

    /**
     * Why a proxy that asked for authentication got none: credentials (the user and password, or a Kerberos
     * ticket) go only to {@code proxy.host} and the proxies in {@code proxy.credentialsFor}.
     */
    public static String withheldHint(String proxy) {
        return "no credentials were sent to " + proxy + ": they go only to proxy.host and to the proxies listed in "
                + "proxy.credentialsFor, and " + proxy + " is not on that list; if it is your proxy, add " + proxy
                + " to proxy.credentialsFor (with proxy.username and proxy.password set, or negotiate allowed)";
    }
}
