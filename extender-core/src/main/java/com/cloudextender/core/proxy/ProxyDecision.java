package com.cloudextender.core.proxy;

import com.cloudextender.api.OutboundProxies;
import com.cloudextender.api.ProxyRoute;
import java.util.Optional;

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

    /** Present when proxies must be answered with NTLM rather than Basic ({@code proxy.auth=ntlm}). */
    default Optional<NtlmAccount> ntlm() {
        return Optional.empty();
    }

    /** This decision, answering proxies with NTLM as {@code account}. */
    default ProxyDecision withNtlm(NtlmAccount account) {
        ProxyDecision self = this;
        return new ProxyDecision() {
            @Override
            public Optional<ProxyRoute> routeFor(String host, int port) {
                return self.routeFor(host, port);
            }

            @Override
            public String describe(String host, int port) {
                return self.describe(host, port) + " (NTLM authentication)";
            }

            @Override
            public Optional<NtlmAccount> ntlm() {
                return Optional.of(account);
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
}
