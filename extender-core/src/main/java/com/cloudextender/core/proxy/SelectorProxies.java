package com.cloudextender.core.proxy;

import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A proxy list from a {@link ProxySelector}: the ones proxy-vole builds from a PAC file, the OS
 * settings or WPAD. The selector is asked with an {@code https://host:port/} URL, which is what a PAC
 * file's {@code FindProxyForURL} sees for a TLS connection. SOCKS entries are skipped: the extender
 * speaks HTTP CONNECT only. So are entries that are no proxy address (port 0, an empty host, as a PAC
 * file can say {@code "PROXY dead.corp:0"}): each is logged once, and the entries after it are still tried.
 */
public final class SelectorProxies implements ProxySource {
    private static final Logger LOG = LoggerFactory.getLogger(SelectorProxies.class);

    private final String description;
    private final ProxySelector selector;
    private final OnceOnly warned = new OnceOnly();

    public SelectorProxies(String description, ProxySelector selector) {
        this.description = description;
        this.selector = selector;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public List<ProxyChoice> choicesFor(String host, int port) {
        String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        List<Proxy> proxies;
        try {
            proxies = selector.select(URI.create("https://" + h + ":" + port + "/"));
        } catch (RuntimeException e) {
            LOG.warn("The {} could not be evaluated for {}:{} ({}); connecting directly", description, host, port,
                    e.toString());
            return List.of(ProxyChoice.DIRECT);
        }
        List<ProxyChoice> out = new ArrayList<>();
        for (Proxy p : proxies == null ? List.<Proxy>of() : proxies) {
            if (p.type() == Proxy.Type.DIRECT) {
                out.add(ProxyChoice.DIRECT);
            } else if (p.type() == Proxy.Type.HTTP && p.address() instanceof InetSocketAddress a) {
                if (ProxyChoice.isProxyAddress(a.getHostString(), a.getPort())) {
                    out.add(ProxyChoice.proxy(a.getHostString(), a.getPort()));
                } else if (warned.first(a.getHostString() + ":" + a.getPort())) {
                    LOG.warn("Skipping the entry \"PROXY {}:{}\" of the {}: not a proxy address (a host and a port "
                            + "1-65535)", a.getHostString(), a.getPort(), description);
                }
            } else {
                LOG.debug("Skipping {} from the {}: only HTTP proxies are supported", p, description);
            }
        }
        return out.isEmpty() ? List.of(ProxyChoice.DIRECT) : List.copyOf(out);
    }
}
