package com.cloudextender.core.proxy;

import com.cloudextender.api.OutboundProxies;
import com.cloudextender.api.ProxyRoute;
import java.util.Optional;

import com.cloudextender.core.proxy.auth.ProxyAuthenticator;

/**
 * The one place that decides whether an outbound connection goes through a proxy. The channel,
 * registration, uploads, module downloads and modules all ask it, so they always agree. Built from the
 * configuration by {@link ProxyDiscovery}.
 */
@FunctionalInterface
public interface ProxyDecision extends OutboundProxies {

    /**
     * The decision for {@code host:port} in plain words for the log and {@code core/status}, for example
     * {@code "PAC file http://wpad/wpad.dat says PROXY p:3128 for cloud.example.com:443"}.
     */
    default String describe(String host, int port) {
        return routeFor(host, port).map(r -> "proxy " + r + " for " + host + ":" + port)
                .orElse("direct connection to " + host + ":" + port);
    }

    /** The one proxy login shared by every connection through a proxy ({@code proxy.authSchemes}). */
    default ProxyAuthenticator authenticator() {
        return DefaultLogin.STANDARD;
    }

    /** This decision, answering proxies with {@code auth}. */
    default ProxyDecision withAuthenticator(ProxyAuthenticator auth) {
        ProxyDecision self = this;
        return new ProxyDecision() {
            @Override
            public Optional<ProxyRoute> routeFor(String host, int port) {
                return self.routeFor(host, port);
            }

            @Override
            public String describe(String host, int port) {
                return self.describe(host, port);
            }

            @Override
            public ProxyAuthenticator authenticator() {
                return auth;
            }
        };
    }

    /** Direct connections for everything. */
    static ProxyDecision direct() {
        return (host, port) -> Optional.empty();
    }

    /** The same explicit proxy for every destination. */
    static ProxyDecision fixed(ProxyRoute route) {
        return new ProxyDecision() {
            @Override
            public Optional<ProxyRoute> routeFor(String host, int port) {
                return Optional.of(route);
            }

            @Override
            public String describe(String host, int port) {
                return "proxy.host says PROXY " + route.host() + ":" + route.port() + " for " + host + ":" + port;
            }
        };
    }

    /** Holds the default login, made once. */
    final class DefaultLogin {
        static final ProxyAuthenticator STANDARD = ProxyAuthenticator.standard();

        private DefaultLogin() {
        }
    }
}
