package com.cloudextender.core.setup;

import java.net.URI;
import java.util.Optional;

import com.cloudextender.api.ProxyRoute;

/**
 * The cloud and proxy answers. {@code activationCode} is empty when the current one is kept. Holds secrets in
 * clear in memory only; {@link #toString()} hides them.
 */
public record CloudSettings(String host, int port, URI apiUrl, Optional<String> trustStore,
        Optional<String> activationCode, Optional<ProxyRoute> proxy) {
    @Override
    public String toString() {
        return "CloudSettings[host=" + host + ", port=" + port + ", apiUrl=" + apiUrl + ", trustStore=" + trustStore
                + ", proxy=" + proxy.map(p -> p.host() + ":" + p.port() + p.username().map(u -> " user " + u).orElse(""))
                + "]";
    }
}
