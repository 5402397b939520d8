package com.cloudextender.modules.support.http;

import javax.net.SocketFactory;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SchemePortResolver;
import org.apache.hc.client5.http.impl.DefaultSchemePortResolver;
import org.apache.hc.client5.http.impl.io.DefaultHttpClientConnectionOperator;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.io.HttpClientConnectionOperator;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.URIScheme;
import org.apache.hc.core5.http.config.RegistryBuilder;

/**
 * A connection pool whose sockets come from the extender ({@code OutboundProxies.tunnels()}): the extender opens
 * every connection, tunnel and proxy authentication included, and TLS is then layered on top by HttpClient.
 * Names travel unresolved to the extender, so that names only the proxy can resolve still work.
 */
final class ExtenderSocketsBuilder extends PoolingHttpClientConnectionManagerBuilder {
    private final SocketFactory sockets;

    ExtenderSocketsBuilder(SocketFactory sockets) {
        this.sockets = sockets;
    }

    @Override
    protected HttpClientConnectionOperator createConnectionOperator(SchemePortResolver ports, DnsResolver ignored,
            TlsSocketStrategy tls) {
        return new DefaultHttpClientConnectionOperator(proxy -> sockets.createSocket(),
                ports != null ? ports : DefaultSchemePortResolver.INSTANCE, new UnresolvedNames(),
                RegistryBuilder.<TlsSocketStrategy>create().register(URIScheme.HTTPS.id, tls).build());
    }
}
