package com.cloudextender.core.proxy;

import java.util.Optional;

/** An HTTP proxy to go through, with optional Basic credentials. Immutable; never prints the password. */
public record ProxyRoute(String host, int port, Optional<String> username, Optional<String> password) {
    @Override
    public String toString() {
        return host + ":" + port + username.map(u -> " as " + u).orElse("");
    }
}
