package com.cloudextender.api;

import java.util.Objects;
import java.util.Optional;

/**
 * An HTTP proxy to go through, with optional Basic credentials. Immutable and thread-safe; never
 * prints the password. Modules get routes from {@link OutboundProxies}, the same decision the core's
 * own connections use.
 *
 * @param host     the proxy's host name or address
 * @param port     the proxy's port
 * @param username the user for proxy authentication, if the proxy needs one
 * @param password that user's password
 */
public record ProxyRoute(String host, int port, Optional<String> username, Optional<String> password) {
    public ProxyRoute {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
    }

    @Override
    public String toString() {
        return host + ":" + port + username.map(u -> " as " + u).orElse("");
    }
}
