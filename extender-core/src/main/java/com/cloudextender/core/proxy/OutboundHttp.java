package com.cloudextender.core.proxy;

import com.cloudextender.api.ProxyRoute;
import java.util.Optional;

import javax.net.ssl.SSLContext;

import org.apache.hc.client5.http.auth.AuthScope;
import org.apache.hc.client5.http.auth.UsernamePasswordCredentials;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.auth.BasicCredentialsProvider;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.impl.routing.DefaultRoutePlanner;
import org.apache.hc.client5.http.ssl.DefaultHostnameVerifier;
import org.apache.hc.client5.http.ssl.SSLConnectionSocketFactoryBuilder;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.util.Timeout;

/**
 * Builds the HTTP client for every outbound HTTPS request of the core (registration, uploads, module
 * downloads): proxy from the shared {@link ProxyDecision}, certificate and host-name verification always
 * on, no automatic redirects.
 */
public final class OutboundHttp {
    private OutboundHttp() {
    }

    public static CloseableHttpClient client(ProxyDecision proxies, SSLContext tls, Timeout timeout) {
        BasicCredentialsProvider credentials = new BasicCredentialsProvider();
        DefaultRoutePlanner planner = new DefaultRoutePlanner(null) {
            @Override
            protected HttpHost determineProxy(HttpHost target, HttpContext context) {
                Optional<ProxyRoute> route = proxies.routeFor(target.getHostName(), target.getPort());
                route.ifPresent(r -> r.username().ifPresent(u -> credentials.setCredentials(
                        new AuthScope(r.host(), r.port()), credentialsFor(proxies, u, r))));
                return route.map(r -> new HttpHost(r.host(), r.port())).orElse(null);
            }
        };
        org.apache.hc.client5.http.impl.classic.HttpClientBuilder builder = HttpClients.custom();
        if (proxies.ntlm().isPresent()) {
            builder.setDefaultAuthSchemeRegistry(ntlmSchemes());
        }
        builder.addExecInterceptorFirst("proxy-refusal",
                (request, scope, chain) -> refusalAsError(request, scope, chain, credentials));
        return builder
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setSSLSocketFactory(SSLConnectionSocketFactoryBuilder.create()
                                .setSslContext(tls)
                                .setHostnameVerifier(new DefaultHostnameVerifier())
                                .build())
                        .build())
                .setRoutePlanner(planner)
                .setDefaultCredentialsProvider(credentials)
                .setDefaultRequestConfig(RequestConfig.custom().setConnectionRequestTimeout(timeout)
                        .setResponseTimeout(timeout).build())
                .disableAutomaticRetries()
                // No request follows a redirect by itself: a redirect could lead to plain HTTP or elsewhere.
                // The callers that accept redirects follow them and check every hop (ModuleDownloader).
                .disableRedirectHandling()
                .build();
    }

    /**
     * A proxy that still answers 407 after HttpClient has tried the credentials is a configuration error:
     * said as such, rather than as the proxy's HTML error page handed to the caller as a response.
     */
    private static org.apache.hc.core5.http.ClassicHttpResponse refusalAsError(
            org.apache.hc.core5.http.ClassicHttpRequest request,
            org.apache.hc.client5.http.classic.ExecChain.Scope scope,
            org.apache.hc.client5.http.classic.ExecChain chain, BasicCredentialsProvider credentials)
            throws java.io.IOException,
            org.apache.hc.core5.http.HttpException {
        org.apache.hc.core5.http.ClassicHttpResponse response = chain.proceed(request, scope);
        if (response.getCode() == org.apache.hc.core5.http.HttpStatus.SC_PROXY_AUTHENTICATION_REQUIRED) {
            HttpHost proxy = scope.route.getProxyHost();
            org.apache.hc.core5.http.Header offered = response.getFirstHeader("Proxy-Authenticate");
            response.close();
            throw new ProxyException("proxy " + (proxy == null ? "?" : proxy.toHostString()) + " refused "
                    + scope.route.getTargetHost().toHostString() + ": HTTP 407 Proxy Authentication Required (the"
                    + " proxy wants authentication, scheme: " + (offered == null ? "none offered" : offered.getValue())
                    + "; " + ProxyException.authenticationHint(proxy != null && credentials.getCredentials(
                            new AuthScope(proxy.getHostName(), proxy.getPort()), null) != null,
                            proxy == null ? "?" : proxy.toHostString()) + ")");
        }
        return response;
    }

    /** HttpClient 5.4 leaves NTLM out of its default schemes, so it is registered when configured. */
    @SuppressWarnings("deprecation")
    private static org.apache.hc.core5.http.config.Lookup<org.apache.hc.client5.http.auth.AuthSchemeFactory>
            ntlmSchemes() {
        return org.apache.hc.core5.http.config.RegistryBuilder.<org.apache.hc.client5.http.auth.AuthSchemeFactory>create()
                .register(org.apache.hc.client5.http.auth.StandardAuthScheme.NTLM,
                        org.apache.hc.client5.http.impl.auth.NTLMSchemeFactory.INSTANCE)
                .register(org.apache.hc.client5.http.auth.StandardAuthScheme.BASIC,
                        org.apache.hc.client5.http.impl.auth.BasicSchemeFactory.INSTANCE)
                .build();
    }

    /** NTLM credentials when the decision says so: HttpClient then answers an NTLM proxy itself. */
    @SuppressWarnings("deprecation") // NTCredentials is deprecated only as NTLM is; it is what NTLM proxies need
    private static org.apache.hc.client5.http.auth.Credentials credentialsFor(ProxyDecision proxies, String user,
            ProxyRoute route) {
        char[] password = route.password().orElse("").toCharArray();
        return proxies.ntlm().<org.apache.hc.client5.http.auth.Credentials>map(
                a -> new org.apache.hc.client5.http.auth.NTCredentials(user, password, a.workstation(),
                        a.domain().isEmpty() ? null : a.domain()))
                .orElseGet(() -> new UsernamePasswordCredentials(user, password));
    }
}
