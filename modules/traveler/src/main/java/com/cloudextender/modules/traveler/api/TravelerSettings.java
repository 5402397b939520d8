package com.cloudextender.modules.traveler.api;

import com.cloudextender.api.ModuleConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How the module reaches the Traveler server. Immutable; {@link #toString()} hides the password.
 *
 * @param server         the server's base URL, {@code https://host[:port]}
 * @param apiPath        the administration API's path on it, {@code /api/traveler} by default
 * @param username       the Domino user name the API is called as
 * @param password       its Domino internet password
 * @param trustStore     a PEM file of trusted certificates; empty: the JVM's trust
 * @param connectTimeout how long connecting may take
 * @param timeout        how long the server may be silent during an answer
 * @param pageSize       devices asked for per page
 */
public record TravelerSettings(URI server, String apiPath, String username, char[] password, Optional<Path> trustStore,
                               Duration connectTimeout, Duration timeout, int pageSize) {

    /** Reads the keys of the module README; every message names the key that is wrong. */
    public static TravelerSettings read(ModuleConfig c) {
        String text = c.require("server").trim();
        URI server;
        try {
            server = URI.create(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("server: '" + text + "' is not a URL such as https://traveler.example.com");
        }
        if (!"https".equalsIgnoreCase(server.getScheme()) || server.getHost() == null) {
            throw new IllegalArgumentException("server: '" + text + "' must be an https:// URL with a host name; the "
                    + "Domino credentials are never sent without TLS");
        }
        if (server.getRawQuery() != null || server.getRawFragment() != null
                || (server.getRawPath() != null && !server.getRawPath().isEmpty() && !server.getRawPath().equals("/"))) {
            throw new IllegalArgumentException("server: '" + text + "' must be the server alone (https://host[:port]); "
                    + "set apiPath for another path");
        }
        String apiPath = c.get("apiPath").orElse("/api/traveler").trim();
        if (!apiPath.matches("(/[A-Za-z0-9._~-]+)+")) {
            throw new IllegalArgumentException("apiPath: '" + apiPath + "' must be a path such as /api/traveler");
        }
        String username = c.require("username").trim();
        if (username.isEmpty()) {
            throw new IllegalArgumentException("username: empty; give the Domino user name the API is called as");
        }
        String password = c.require("password");
        int pageSize = c.intValue("pageSize", 500);
        if (pageSize < 1 || pageSize > 10_000) {
            throw new IllegalArgumentException("pageSize: " + pageSize + " is out of range; allowed 1 to 10000");
        }
        Duration connect = positive(c, "connectTimeout", Duration.ofSeconds(10));
        Duration timeout = positive(c, "timeout", Duration.ofSeconds(60));
        Optional<Path> trust = c.get("trustStore").map(String::trim).filter(s -> !s.isEmpty()).map(Path::of);
        URI base = URI.create(server.getScheme().toLowerCase(java.util.Locale.ROOT) + "://" + server.getRawAuthority());
        return new TravelerSettings(base, apiPath, username, password.toCharArray(), trust, connect, timeout, pageSize);
    }

    private static Duration positive(ModuleConfig c, String key, Duration otherwise) {
        Duration d = c.durationValue(key, otherwise);
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(key + ": must be longer than 0");
        }
        return d;
    }

    @Override
    public String toString() {
        return "TravelerSettings[server=" + server + ", apiPath=" + apiPath + ", username=" + username
                + ", password=***, trustStore=" + trustStore.orElse(null) + ", pageSize=" + pageSize + "]";
    }
}
