package com.cloudextender.modules.meg.tunnel;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.Optional;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;

/**
 * The TLS client contexts: to the relay (HTTP/2 by ALPN) and to HTTPS targets. Certificates and host
 * names are always verified; a configured PEM file adds private CAs.
 */
public final class TlsContexts {
    private TlsContexts() {
    }

    /** For the relay: ALPN {@code h2} only; trusts the PEM file's CAs if given, else the JVM's. */
    public static SslContext relay(Optional<Path> pem) throws IOException, GeneralSecurityException {
        return SslContextBuilder.forClient().sslProvider(SslProvider.JDK)
                .trustManager(trust(pem, pem.isEmpty()))
                .protocols("TLSv1.3", "TLSv1.2")
                .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, ApplicationProtocolNames.HTTP_2))
                .build();
    }

    /** For HTTPS targets (HTTP/1.1): the JVM's CAs plus the PEM file's. */
    public static SslContext target(Optional<Path> pem) throws IOException, GeneralSecurityException {
        return SslContextBuilder.forClient().sslProvider(SslProvider.JDK).trustManager(trust(pem, true))
                .protocols("TLSv1.3", "TLSv1.2").build();
    }

    /** A handler that sends {@code host} as SNI and checks the certificate names it (RFC 2818 rules). */
    public static SslHandler handler(SslContext context, ByteBufAllocator alloc, String host, int port, long timeoutMillis) {
        SslHandler h = context.newHandler(alloc, host, port);
        SSLEngine engine = h.engine();
        SSLParameters p = engine.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        engine.setSSLParameters(p);
        h.setHandshakeTimeoutMillis(timeoutMillis);
        return h;
    }

    private static TrustManagerFactory trust(Optional<Path> pem, boolean withJvm) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        int n = 0;
        if (withJvm) {
            TrustManagerFactory jvm = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            jvm.init((KeyStore) null);
            for (TrustManager tm : jvm.getTrustManagers()) {
                if (tm instanceof X509TrustManager x) {
                    for (X509Certificate c : x.getAcceptedIssuers()) {
                        ks.setCertificateEntry("jvm-" + n++, c);
                    }
                }
            }
        }
        if (pem.isPresent()) {
            Collection<? extends Certificate> certs;
            try (InputStream in = Files.newInputStream(pem.get())) {
                certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            }
            if (certs.isEmpty()) {
                throw new GeneralSecurityException("no certificate in the PEM file " + pem.get());
            }
            for (Certificate c : certs) {
                ks.setCertificateEntry("pem-" + n++, c);
            }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        return tmf;
    }
}
