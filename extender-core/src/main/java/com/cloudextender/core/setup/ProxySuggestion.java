package com.cloudextender.core.setup;

import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.URI;
import java.util.Optional;

import com.cloudextender.api.ProxyRoute;
import com.cloudextender.core.proxy.ProxyDecision;

/**
 * The proxy to offer for the cloud: what the extender's {@link ProxyDecision} picks for the cloud host with the
 * current configuration, else what Java's proxy selector or the {@code HTTPS_PROXY} variable suggest.
 */
record ProxySuggestion(Optional<ProxyRoute> route, String source) {

    static ProxySuggestion find(ProxyDecision configured, String host, int port) {
        Optional<ProxyRoute> r = configured.routeFor(host, port);
        if (r.isPresent()) {
            return new ProxySuggestion(r, "configured in extender.properties");
        }
        try {
            for (Proxy p : ProxySelector.getDefault().select(URI.create("https://" + host + ":" + port))) {
                if (p.type() == Proxy.Type.HTTP && p.address() instanceof InetSocketAddress a) {
                    return new ProxySuggestion(Optional.of(new ProxyRoute(a.getHostString(), a.getPort(),
                            Optional.empty(), Optional.empty())), "detected in the Java proxy settings");
                }
            }
        } catch (IllegalArgumentException e) {
            // a host name that is no URI authority: nothing detected
        }
        String env = Optional.ofNullable(System.getenv("HTTPS_PROXY")).orElse(System.getenv("https_proxy"));
        if (env != null && !env.isBlank()) {
            try {
                URI u = URI.create(env.contains("://") ? env.trim() : "http://" + env.trim());
                if (u.getHost() != null) {
                    // Credentials in the variable are not copied: the admin types them, so they get sealed.
                    return new ProxySuggestion(Optional.of(new ProxyRoute(u.getHost(), u.getPort() > 0 ? u.getPort() : 3128,
                            Optional.empty(), Optional.empty())), "detected in HTTPS_PROXY");
                }
            } catch (IllegalArgumentException e) {
                // not a URL: nothing detected
            }
        }
        return new ProxySuggestion(Optional.empty(), "none configured or detected");
    }
}
