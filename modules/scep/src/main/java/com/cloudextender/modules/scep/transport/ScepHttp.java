package com.cloudextender.modules.scep.transport;

import com.cloudextender.api.OutboundProxies;
import com.cloudextender.api.ProxyRoute;
import com.cloudextender.modules.support.tls.PemTrust;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
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
 * The HTTP client of one profile: every connection goes through the extender's shared proxy decision,
 * HTTPS is always verified (against the profile's trust store when one is set), and time limits keep a
 * silent server from holding a command. Thread-safe; close it when the module stops.
 */
public final class ScepHttp implements AutoCloseable {
    private static final Timeout CONNECT = Timeout.of(10, TimeUnit.SECONDS);
    private static final Timeout ANSWER = Timeout.of(60, TimeUnit.SECONDS);

    private final CloseableHttpClient client;
    private final BasicCredentialsProvider credentials;

    private ScepHttp(CloseableHttpClient client, BasicCredentialsProvider credentials) {
        this.client = client;
        this.credentials = credentials;
    }

    /**
     * A client whose proxy comes from {@code proxies} for each target, trusting {@code trustStore} (a PEM
     * file of certificates) or the JVM's default trust when empty.
     */
    public static ScepHttp open(OutboundProxies proxies, Optional<Path> trustStore) throws IOException {
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
                if (r.username().isPresent()) {
                    // Registered per route so that a changed proxy decision always carries its own credentials.
                    credentials.setCredentials(new AuthScope(r.host(), r.port()), new UsernamePasswordCredentials(
                            r.username().get(), r.password().orElse("").toCharArray()));
                }
                return new HttpHost(r.host(), r.port());
            }
        };
        CloseableHttpClient client = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setTlsSocketStrategy(new DefaultClientTlsStrategy(PemTrust.sslContext(trustStore)))
                        .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(CONNECT)
                                .setSocketTimeout(ANSWER).build())
                        .build())
                .setRoutePlanner(planner)
                .setDefaultCredentialsProvider(credentials)
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(ANSWER).build())
                .disableAutomaticRetries()
                .disableCookieManagement()
                .build();
        return new ScepHttp(client, credentials);
    }

    /** Answers HTTP authentication from {@code uri}'s host and port with {@code user} and {@code password}. */
    public void authenticate(URI uri, String user, String password) {
        int port = uri.getPort() > 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        credentials.setCredentials(new AuthScope(uri.getHost(), port),
                new UsernamePasswordCredentials(user, password.toCharArray()));
    }

    /** Sends {@code request} and reads the whole answer, whatever its status. */
    public HttpAnswer send(ClassicHttpRequest request) throws IOException {
        return client.execute(request, response -> {
            Header type = response.getFirstHeader("Content-Type");
            byte[] body = response.getEntity() == null ? new byte[0] : EntityUtils.toByteArray(response.getEntity());
            return new HttpAnswer(response.getCode(), response.getReasonPhrase(), type == null ? null : type.getValue(),
                    body == null ? new byte[0] : body);
        });
    }

    @Override
    public void close() throws IOException {
        client.close();
    }
}
