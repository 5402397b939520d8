package com.cloudextender.core.setup;

import java.net.URI;
import java.util.List;
import java.util.Optional;

import com.cloudextender.api.ProxyRoute;
import com.cloudextender.core.proxy.ProxyAuth;

/**
 * The cloud and proxy answers. {@code activationCode} is empty when the current one is kept; {@code authSchemes}
 * are the schemes the proxy may be answered with ({@code proxy.authSchemes}). Holds secrets in clear in memory
 * only; {@link #toString()} hides them.
 */
public record CloudSettings(String host, int port, URI apiUrl, Optional<String> trustStore,
        Optional<String> activationCode, Optional<ProxyRoute> proxy, List<ProxyAuth> authSchemes) {
    public CloudSettings {
        authSchemes = List.copyOf(authSchemes);
    }

    @Override
    public String toString() {
        return "CloudSettings[host=" + host + ", port=" + port + ", apiUrl=" + apiUrl + ", trustStore=" + trustStore
                + ", proxy=" + proxy.map(p -> p.host() + ":" + p.port() + p.username().map(u -> " user " + u).orElse(""))
                + ", authSchemes=" + authSchemes + "]";
    }
}
