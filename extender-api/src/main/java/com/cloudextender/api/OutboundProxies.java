package com.cloudextender.api;

import java.util.Optional;

/**
 * The extender's one proxy decision, shared by the channel, uploads, module downloads and every
 * module's outbound connections, so that they always agree. Thread-safe.
 */
@FunctionalInterface
public interface OutboundProxies {
    /** The proxy for a connection to {@code host:port}, or empty to connect directly. */
    Optional<ProxyRoute> routeFor(String host, int port);
}
