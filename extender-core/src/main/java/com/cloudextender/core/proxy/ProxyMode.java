package com.cloudextender.core.proxy;

/** How the extender finds its proxy ({@code proxy.mode}). */
public enum ProxyMode {
    /** The proxy in {@code proxy.host}/{@code proxy.port}, for every destination. */
    EXPLICIT,
    /** Discovered: environment, Java system properties, the OS settings, a PAC file, then WPAD. */
    AUTO,
    /** Always direct, whatever the machine's settings say. */
    NONE
}
