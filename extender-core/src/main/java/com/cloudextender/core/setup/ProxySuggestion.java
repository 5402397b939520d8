package com.cloudextender.core.setup;

import java.util.Optional;

import com.cloudextender.api.ProxyRoute;
import com.cloudextender.core.proxy.ProxyDecision;
import com.cloudextender.core.proxy.ProxyDiscovery;
import com.cloudextender.core.proxy.ProxySettings;

/**
 * The proxy to offer for the cloud: the one in extender.properties, else what the extender's own discovery
 * (environment, Java properties, OS settings, WPAD) picks for the cloud host, so the wizard proposes what the
 * running extender would use.
 */
record ProxySuggestion(Optional<ProxyRoute> route, String source) {

    static ProxySuggestion find(ProxyDecision configured, String host, int port) {
        return find(configured, new ProxyDiscovery(), host, port);
    }

    static ProxySuggestion find(ProxyDecision configured, ProxyDiscovery discovery, String host, int port) {
        Optional<ProxyRoute> r = configured.routeFor(host, port);
        if (r.isPresent()) {
            return new ProxySuggestion(r, "configured in extender.properties");
        }
        ProxyDecision discovered;
        try {
            discovered = discovery.decide(ProxySettings.discover());
        } catch (IllegalArgumentException e) {
            return new ProxySuggestion(Optional.empty(), "none configured; discovery failed: " + e.getMessage());
        }
        // Credentials are never taken from a discovered setting: the admin types them, so they get sealed.
        Optional<ProxyRoute> found = discovered.routeFor(host, port)
                .map(p -> new ProxyRoute(p.host(), p.port(), Optional.empty(), Optional.empty()));
        return new ProxySuggestion(found, found.isPresent() ? "detected: " + discovered.describe(host, port)
                : "none configured or detected");
    }
}
