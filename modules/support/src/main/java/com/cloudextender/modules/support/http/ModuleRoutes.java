package com.cloudextender.modules.support.http;

import com.cloudextender.api.OutboundProxies;
import com.cloudextender.api.ProxyRoute;
import java.util.Optional;
import org.apache.hc.client5.http.auth.AuthScope;
import org.apache.hc.client5.http.auth.UsernamePasswordCredentials;
import org.apache.hc.client5.http.impl.auth.BasicCredentialsProvider;
import org.apache.hc.client5.http.impl.routing.DefaultRoutePlanner;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * Asks the extender's proxy decision for every connection, so that a module never keeps a proxy the
 * administrator has since changed. The route's credentials, when the extender hands them to modules
 * (only when Basic is allowed), are registered for that proxy alone.
 */
final class ModuleRoutes extends DefaultRoutePlanner {
    private final OutboundProxies proxies;
    private final BasicCredentialsProvider credentials;
    private final boolean socketsTunnel;

    /** @param socketsTunnel whether the connection's socket opens the tunnel itself ({@code OutboundProxies.tunnels()}) */
    ModuleRoutes(OutboundProxies proxies, BasicCredentialsProvider credentials, boolean socketsTunnel) {
        super(null);
        this.proxies = proxies;
        this.credentials = credentials;
        this.socketsTunnel = socketsTunnel;
    }

    @Override
    protected HttpHost determineProxy(HttpHost target, HttpContext context) {
        boolean https = "https".equalsIgnoreCase(target.getSchemeName());
        if (https && socketsTunnel) {
            return null; // the socket asks the decision and tunnels; HttpClient sees a direct connection
        }
        int port = target.getPort() > 0 ? target.getPort() : https ? 443 : 80;
        Optional<ProxyRoute> route = proxies.routeFor(target.getHostName(), port);
        if (route.isEmpty()) {
            return null;
        }
        ProxyRoute r = route.get();
        r.username().ifPresent(u -> credentials.setCredentials(new AuthScope(r.host(), r.port()),
                new UsernamePasswordCredentials(u, r.password().orElse("").toCharArray())));
        return new HttpHost(r.host(), r.port());
    }
}
