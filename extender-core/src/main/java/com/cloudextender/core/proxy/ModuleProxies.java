package com.cloudextender.core.proxy;

import java.util.Optional;

import com.cloudextender.api.OutboundProxies;
import com.cloudextender.api.ProxyRoute;
import com.cloudextender.core.proxy.auth.ProxyAuthenticator;

/**
 * The proxy decision as modules see it. Modules build their own HTTP clients from a {@link ProxyRoute},
 * which can only answer a proxy with Basic; so the route carries the user and password only when the
 * administrator allows Basic ({@code proxy.authSchemes}). Otherwise a module's client would send the
 * domain password readable to whatever answers on the proxy port.
 */
public final class ModuleProxies implements OutboundProxies {
    private final ProxyDecision decision;
    private final boolean basicAllowed;

    private ModuleProxies(ProxyDecision decision, ProxyAuthenticator auth) {
        this.decision = decision;
        this.basicAllowed = auth.allows(ProxyAuth.BASIC);
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
}
