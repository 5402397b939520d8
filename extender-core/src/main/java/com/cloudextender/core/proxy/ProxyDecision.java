package com.cloudextender.core.proxy;

import com.cloudextender.api.OutboundProxies;
import com.cloudextender.api.ProxyRoute;
import java.util.Optional;

/**
 * The one place that decides whether an outbound connection goes through a proxy. The channel,
 * registration, uploads and (later) module downloads and the relay all ask it, so they always agree.
 */
@FunctionalInterface
public interface ProxyDecision extends OutboundProxies {

    /** Direct connections for everything. */
    static ProxyDecision direct() {
        return (host, port) -> Optional.empty();
    }

    /** The same explicit proxy for every destination. */
    static ProxyDecision fixed(ProxyRoute route) {
        return (host, port) -> Optional.of(route);
    }
}
