package com.cloudextender.core.proxy;

import java.util.Locale;

/**
 * A proxy authentication scheme the extender can answer; {@code proxy.authSchemes} lists those the
 * administrator allows, and the proxy's own order among them decides which is tried first.
 */
public enum ProxyAuth {
    /** Kerberos through SPNEGO (RFC 4559), with the service account's ticket or a keytab. */
    NEGOTIATE("Negotiate"),
    /** NTLMv2 challenge/response (MS-NLMP), as Windows proxies and squid with ntlm_auth ask. */
    NTLM("NTLM"),
    /** User and password in each request (RFC 7617): only where the administrator allows it. */
    BASIC("Basic");

    private final String headerName;

    ProxyAuth(String headerName) {
        this.headerName = headerName;
    }

    /** The name in {@code Proxy-Authenticate} and {@code Proxy-Authorization}. */
    public String headerName() {
        return headerName;
    }

    /** The name in {@code proxy.authSchemes}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
