package com.cloudextender.modules.bes.client;

import com.cloudextender.api.OutboundProxies;
import com.cloudextender.api.ProxyRoute;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.util.Optional;
import org.apache.cxf.Bus;
import org.apache.cxf.configuration.security.ProxyAuthorizationPolicy;
import org.apache.cxf.service.model.EndpointInfo;
import org.apache.cxf.transport.http.HTTPConduit;
import org.apache.cxf.transport.http.HTTPConduitFactory;
import org.apache.cxf.transport.http.HTTPTransportFactory;
import org.apache.cxf.transport.http.HttpClientHTTPConduit;
import org.apache.cxf.transport.http.ProxyFactory;
import org.apache.cxf.transport.http.URLConnectionHTTPConduit;
import org.apache.cxf.transports.http.configuration.HTTPClientPolicy;
import org.apache.cxf.ws.addressing.EndpointReferenceType;

/**
 * Makes CXF's HTTP conduits connect as the extender decides. When the extender offers its own sockets
 * ({@link OutboundProxies#tunnels()}), the conduit is CXF's classic one (the JDK's
 * {@code HttpsURLConnection}) connecting directly as far as it knows, with sockets from {@link TunnelledTls}:
 * the extender opens each connection and logs in to the proxy with any scheme the administrator allows.
 * Otherwise CXF's own HTTP client (the JDK's {@code java.net.http}) consults a proxy selector per
 * request that asks {@link OutboundProxies}, and the route's Basic credentials, when the extender hands
 * any to modules, are given to the conduit for that proxy.
 */
final class RoutedConduitFactory implements HTTPConduitFactory {
    private final OutboundProxies proxies;

    RoutedConduitFactory(OutboundProxies proxies) {
        this.proxies = proxies;
    }

    @Override
    public HTTPConduit createConduit(HTTPTransportFactory f, Bus bus, EndpointInfo localInfo,
                                     EndpointReferenceType target) throws IOException {
        if (proxies.tunnels().isPresent()) {
            return new TunnelledConduit(bus, localInfo, target);
        }
        return new RoutedConduit(bus, localInfo, target, proxies);
    }

    /**
     * A conduit that never names a proxy to the JDK: its sockets ({@link TunnelledTls}, set in the TLS
     * parameters) make the proxy decision themselves.
     */
    static final class TunnelledConduit extends URLConnectionHTTPConduit {
        TunnelledConduit(Bus bus, EndpointInfo info, EndpointReferenceType target) throws IOException {
            super(bus, info, target);
            this.proxyFactory = new ProxyFactory() {
                @Override
                public Proxy createProxy(HTTPClientPolicy policy, URI uri) {
                    return Proxy.NO_PROXY; // not the JVM's default selector: the socket decides
                }
            };
        }
    }

    /** A conduit whose proxy is chosen per connection. */
    static final class RoutedConduit extends HttpClientHTTPConduit {
        RoutedConduit(Bus bus, EndpointInfo info, EndpointReferenceType target, OutboundProxies proxies)
                throws IOException {
            super(bus, info, target);
            this.proxyFactory = new RouteProxyFactory(proxies, this);
        }

        void proxyCredentials(ProxyRoute r) {
            if (r.username().isPresent()) {
                ProxyAuthorizationPolicy p = new ProxyAuthorizationPolicy();
                p.setUserName(r.username().get());
                p.setPassword(r.password().orElse(""));
                p.setAuthorizationType("Basic");
                setProxyAuthorization(p);
            }
        }
    }

    /** Answers CXF's per-request proxy question from the extender's decision. */
    static final class RouteProxyFactory extends ProxyFactory {
        private final OutboundProxies proxies;
        private final RoutedConduit conduit;

        RouteProxyFactory(OutboundProxies proxies, RoutedConduit conduit) {
            this.proxies = proxies;
            this.conduit = conduit;
        }

        @Override
        public Proxy createProxy(HTTPClientPolicy policy, URI uri) {
            int port = uri.getPort() > 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
            Optional<ProxyRoute> route = proxies.routeFor(uri.getHost(), port);
            if (route.isEmpty()) {
                return Proxy.NO_PROXY;
            }
            if (conduit != null) {
                conduit.proxyCredentials(route.get());
            }
            return new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved(route.get().host(), route.get().port()));
        }
    }
}
