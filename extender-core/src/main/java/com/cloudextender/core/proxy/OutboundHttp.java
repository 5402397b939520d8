package com.cloudextender.core.proxy;

import java.net.InetAddress;
import java.net.UnknownHostException;

import javax.net.ssl.SSLContext;

import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.DefaultSchemePortResolver;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.DefaultHttpClientConnectionOperator;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.URIScheme;
import org.apache.hc.core5.http.config.RegistryBuilder;
import org.apache.hc.core5.pool.PoolConcurrencyPolicy;
import org.apache.hc.core5.pool.PoolReusePolicy;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * Builds the HTTP client for every outbound HTTPS request of the core (registration, uploads, module
 * downloads): certificate and host-name verification always on, no automatic redirects, and every
 * connection opened by {@link ProxyConnector}, so that proxies are chosen by the shared {@link ProxyDecision}
 * and answered by its one authenticator (HttpClient's own proxy and authentication support is not used).
 */
public final class OutboundHttp {
    private OutboundHttp() {
    }

    public static CloseableHttpClient client(ProxyDecision proxies, SSLContext tls, Timeout timeout) {
        DefaultHttpClientConnectionOperator operator = new DefaultHttpClientConnectionOperator(
                proxy -> new ProxiedSocket(proxies), DefaultSchemePortResolver.INSTANCE, new ProxyResolvesNames(),
                RegistryBuilder.<TlsSocketStrategy>create()
                        .register(URIScheme.HTTPS.id, new DefaultClientTlsStrategy(tls)).build());
        PoolingHttpClientConnectionManager connections = new PoolingHttpClientConnectionManager(operator,
                PoolConcurrencyPolicy.STRICT, PoolReusePolicy.LIFO, TimeValue.NEG_ONE_MILLISECOND, null);
        connections.setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(timeout)
                .setSocketTimeout(timeout).build());
        return HttpClients.custom()
                .setConnectionManager(connections)
                .setDefaultRequestConfig(RequestConfig.custom().setConnectionRequestTimeout(timeout)
                        .setResponseTimeout(timeout).build())
                .disableAutomaticRetries()
                // No request follows a redirect by itself: a redirect could lead to plain HTTP or elsewhere.
                // The callers that accept redirects follow them and check every hop (ModuleDownloader).
                .disableRedirectHandling()
                .build();
    }

    /**
     * Resolves nothing: the name travels to {@link ProxiedSocket}, which gives it to the proxy (or resolves
     * it itself for a direct connection), so that names only the proxy can resolve still work.
     */
    private static final class ProxyResolvesNames implements DnsResolver {
        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            return new InetAddress[] {InetAddress.getByAddress(host, new byte[4])};
        }

        @Override
        public String resolveCanonicalHostname(String host) {
            return host;
        }
    }
}
