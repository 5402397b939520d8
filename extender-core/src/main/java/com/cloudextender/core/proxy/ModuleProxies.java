package com.cloudextender.core.proxy;

import java.util.Optional;

import javax.net.SocketFactory;

import com.cloudextender.api.OutboundProxies;
import com.cloudextender.api.ProxyRoute;
import com.cloudextender.core.proxy.auth.ProxyAuthenticator;

/**
 * The proxy decision as modules see it. A module's client that uses {@link #tunnels()} authenticates to the
 * proxy through the core, with every scheme the administrator allows. A client that builds its own proxy
 * connection from a {@link ProxyRoute} can only answer with Basic; so the route carries the user and password
 * only when the administrator allows Basic ({@code proxy.authSchemes}). Otherwise such a client would send
 * the domain password readable to whatever answers on the proxy port.
 */
public final class ModuleProxies implements OutboundProxies {
    private final ProxyDecision decision;
    private final boolean basicAllowed;
    private final SocketFactory tunnels;

    private ModuleProxies(ProxyDecision decision, ProxyAuthenticator auth) {
        this.decision = decision;
        this.basicAllowed = auth.allows(ProxyAuth.BASIC);
        this.tunnels = new TunnelSockets(decision);
    }

    /** The modules' view of {@code decision}. */
    public static OutboundProxies of(ProxyDecision decision) {
        return new ModuleProxies(decision, decision.authenticator());
    }

    @Override
    public Optional<ProxyRoute> routeFor(String host, int port) {
        Optional<ProxyRoute> route = decision.routeFor(host, port);
        if (basicAllowed) {
            return route;
        }
        return route.map(r -> new ProxyRoute(r.host(), r.port(), Optional.empty(), Optional.empty()));
    }

    @Override
    public Optional<SocketFactory> tunnels() {
        return Optional.of(tunnels);
    }
}
