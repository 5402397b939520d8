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
     * What to do about a 407: correct the credentials when some were sent; otherwise say that none were,
     * because credentials go only to {@code proxy.host} and the proxies in {@code proxy.credentialsFor}.
     */
    static String authenticationHint(boolean credentialsSent, String proxy) {
        if (credentialsSent) {
            return "set or correct proxy.username and proxy.password, and proxy.auth";
        }
        return "no credentials were sent to " + proxy + ": they go only to proxy.host and to the proxies listed in "
                + "proxy.credentialsFor, and " + proxy + " is not on that list; if it is your proxy, add " + proxy
                + " to proxy.credentialsFor (with proxy.username and proxy.password set)";
    }
}
