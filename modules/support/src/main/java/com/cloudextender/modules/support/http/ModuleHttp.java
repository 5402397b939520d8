package com.cloudextender.modules.support.http;

import com.cloudextender.api.OutboundProxies;
import com.cloudextender.modules.support.tls.PemTrust;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;
import org.apache.hc.client5.http.auth.AuthScope;
import org.apache.hc.client5.http.auth.UsernamePasswordCredentials;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.auth.BasicCredentialsProvider;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.io.HttpClientResponseHandler;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.util.Timeout;

/**
 * The HTTP client every module uses to reach its server (SCEP CA, Exchange Online, BES, Traveler): every
 * connection follows the extender's proxy decision ({@link ModuleRoutes}) and, where the extender offers
 * {@link OutboundProxies#tunnels()}, is opened by the extender, so HTTPS through a proxy authenticates with
 * Negotiate, NTLM or Basic as the channel does (plain-HTTP requests through a proxy can answer Basic only),
 * HTTPS is always verified
 * (against a PEM trust store when one is configured, else the JVM's trust), redirects are never followed
 * (a redirect could carry credentials elsewhere) and time limits keep a silent server from holding a
 * command. Thread-safe; close it when the module stops.
 */
public final class ModuleHttp implements AutoCloseable {
    private final CloseableHttpClient client;
    private final BasicCredentialsProvider credentials;

    private ModuleHttp(CloseableHttpClient client, BasicCredentialsProvider credentials) {
        this.client = client;
        this.credentials = credentials;
    }

    /** How a client is built; {@link #defaults()} suits most servers. */
    public record Options(Duration connectTimeout, Duration answerTimeout, int maxConnections) {
        public Options {
            if (connectTimeout.isNegative() || connectTimeout.isZero() || answerTimeout.isNegative()
                    || answerTimeout.isZero()) {
                throw new IllegalArgumentException("time limits must be positive: " + connectTimeout + ", " + answerTimeout);
            }
            if (maxConnections < 1) {
                throw new IllegalArgumentException("maxConnections must be at least 1: " + maxConnections);
            }
        }

        /** 10 s to connect, 60 s for an answer, 8 connections. */
        public static Options defaults() {
            return new Options(Duration.ofSeconds(10), Duration.ofSeconds(60), 8);
        }

        /** These options with {@code timeout} for answers. */
        public Options withAnswerTimeout(Duration timeout) {
            return new Options(connectTimeout, timeout, maxConnections);
        }
    }

    /** A client routed by {@code proxies}, trusting {@code trustStore} (PEM) or the JVM's default trust. */
    public static ModuleHttp open(OutboundProxies proxies, Optional<Path> trustStore, Options options) throws IOException {
        BasicCredentialsProvider credentials = new BasicCredentialsProvider();
        Optional<SocketFactory> tunnels = proxies.tunnels();
        ModuleRoutes routes = new ModuleRoutes(proxies, credentials, tunnels.isPresent());
        Timeout answer = Timeout.of(options.answerTimeout().toMillis(), TimeUnit.MILLISECONDS);
        TlsSocketStrategy tls = new DefaultClientTlsStrategy(PemTrust.sslContext(trustStore));
        PoolingHttpClientConnectionManagerBuilder connections = tunnels.isPresent()
                ? new ExtenderSocketsBuilder(tunnels.get()) : PoolingHttpClientConnectionManagerBuilder.create();
        connections.setTlsSocketStrategy(tls)
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(options.connectTimeout().toMillis(), TimeUnit.MILLISECONDS))
                        .setSocketTimeout(answer).build())
                .setMaxConnTotal(options.maxConnections()).setMaxConnPerRoute(options.maxConnections());
        CloseableHttpClient client = HttpClients.custom()
                .setConnectionManager(connections.build())
                .setRoutePlanner(routes)
                .setDefaultCredentialsProvider(credentials)
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(answer).build())
                .disableAutomaticRetries() // whether to retry is the caller's decision (idempotence, 429, 5xx)
                .disableCookieManagement()
                .disableRedirectHandling()
                .build();
        return new ModuleHttp(client, credentials);
    }

    /**
     * Answers HTTP authentication (Basic, Digest) from {@code uri}'s host and port with {@code user} and
     * {@code password}. The password stays in memory only.
     */
    public void authenticate(URI uri, String user, char[] password) {
        int port = uri.getPort() > 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        credentials.setCredentials(new AuthScope(uri.getHost(), port), new UsernamePasswordCredentials(user, password));
    }

    /** Sends {@code request} and reads the whole answer, whatever its status. */
    public HttpAnswer send(ClassicHttpRequest request) throws IOException {
        return client.execute(request, response -> {
            Map<String, List<String>> headers = new LinkedHashMap<>();
            for (Header h : response.getHeaders()) {
                headers.computeIfAbsent(h.getName().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(h.getValue());
            }
            byte[] body = response.getEntity() == null ? new byte[0] : EntityUtils.toByteArray(response.getEntity());
            return new HttpAnswer(response.getCode(), response.getReasonPhrase(), headers, body);
        });
    }

    /**
     * Sends {@code request} and lets {@code handler} read the answer as it streams in, for answers too
     * large to hold (inventories); the connection is released when the handler returns.
     */
    public <T> T execute(ClassicHttpRequest request, HttpClientResponseHandler<? extends T> handler) throws IOException {
        return client.execute(request, handler);
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
