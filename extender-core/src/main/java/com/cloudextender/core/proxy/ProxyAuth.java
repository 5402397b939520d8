package com.cloudextender.core.proxy;

/** The proxy authentication scheme the extender answers with ({@code proxy.auth}). */
public enum ProxyAuth {
    /** User and password in each request (RFC 7617); use only where the proxy link is trusted. */
    BASIC,
    /** NT LAN Manager challenge/response, as Windows proxies (for example ISA/TMG, Squid with ntlm_auth) ask. */
    NTLM
}
