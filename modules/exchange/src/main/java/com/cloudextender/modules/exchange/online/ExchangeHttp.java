package com.cloudextender.modules.exchange.online;

import com.cloudextender.api.OutboundProxies;
import com.cloudextender.api.ProxyRoute;
import com.cloudextender.modules.support.tls.PemTrust;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.auth.AuthScope;
import org.apache.hc.client5.http.auth.UsernamePasswordCredentials;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.auth.BasicCredentialsProvider;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.impl.routing.DefaultRoutePlanner;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.util.Timeout;

/**
 * The module's HTTP client for the token endpoint and the admin API: every connection follows the
 * extender's proxy decision, HTTPS is always verified (against a configured PEM trust store when set,
 * else the JVM's trust), and time limits keep a silent server from holding a command. Thread-safe.
 */
public final class ExchangeHttp implements AutoCloseable {
    private final CloseableHttpClient client;

    private ExchangeHttp(CloseableHttpClient client) {
        this.client = client;
    }

    /** An answer: status, headers (lower-case names) and the body. */
    public record Answer(int status, Map<String, List<String>> headers, byte[] body) {
        /** The first value of header {@code name}, if any. */
        public Optional<String> header(String name) {
            List<String> v = headers.get(name.toLowerCase(java.util.Locale.ROOT));
            return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
        }
    }

    /** A client routed by {@code proxies}, trusting {@code trustStore} (PEM) or the JVM's default trust. */
    public static ExchangeHttp open(OutboundProxies proxies, Optional<Path> trustStore, Duration timeout)
            throws IOException {
        BasicCredentialsProvider credentials = new BasicCredentialsProvider();
        DefaultRoutePlanner planner = new DefaultRoutePlanner(null) {
            @Override
            protected HttpHost determineProxy(HttpHost target, HttpContext context) {
                int port = target.getPort() > 0 ? target.getPort()
                        : "https".equalsIgnoreCase(target.getSchemeName()) ? 443 : 80;
                Optional<ProxyRoute> route = proxies.routeFor(target.getHostName(), port);
                if (route.isEmpty()) {
                    return null;
                }
                ProxyRoute r = route.get();
                r.username().ifPresent(u -> credentials.setCredentials(new AuthScope(r.host(), r.port()),
                        new UsernamePasswordCredentials(u, r.password().orElse("").toCharArray())));
                return new HttpHost(r.host(), r.port());
            }
        };
        Timeout t = Timeout.of(timeout.toMillis(), TimeUnit.MILLISECONDS);
        CloseableHttpClient client = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setTlsSocketStrategy(new DefaultClientTlsStrategy(PemTrust.sslContext(trustStore)))
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.of(10, TimeUnit.SECONDS)).setSocketTimeout(t).build())
                        .setMaxConnTotal(8).setMaxConnPerRoute(8)
                        .build())
                .setRoutePlanner(planner)
                .setDefaultCredentialsProvider(credentials)
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(t).build())
                .disableAutomaticRetries() // retries are the admin client's decision (429, 5xx)
                .disableCookieManagement()
                .disableRedirectHandling() // never follow a redirect with a bearer token
                .build();
        return new ExchangeHttp(client);
    }

    /** Sends {@code request} and reads the whole answer, whatever its status. */
    public Answer send(ClassicHttpRequest request) throws IOException {
        return client.execute(request, response -> {
            Map<String, List<String>> headers = new LinkedHashMap<>();
            for (Header h : response.getHeaders()) {
                headers.computeIfAbsent(h.getName().toLowerCase(java.util.Locale.ROOT), k -> new java.util.ArrayList<>())
                        .add(h.getValue());
            }
            byte[] body = response.getEntity() == null ? new byte[0] : EntityUtils.toByteArray(response.getEntity());
            return new Answer(response.getCode(), headers, body == null ? new byte[0] : body);
        });
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (IOException e) {
            // closing idle connections: nothing to tell anyone
        }
    }
}
