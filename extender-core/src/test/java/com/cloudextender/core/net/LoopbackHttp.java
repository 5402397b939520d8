package com.cloudextender.core.net;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

/**
 * An HTTP or HTTPS server on 127.0.0.1 for tests, with a fresh self-signed certificate for that address;
 * {@link #clientTls()} trusts exactly it. Records the path of every request it receives.
 */
public final class LoopbackHttp implements AutoCloseable {
    private final HttpServer server;
    private final SSLContext clientTls;
    /** The path (and query) of each request, in order. */
    public final List<String> requests = new CopyOnWriteArrayList<>();

    private LoopbackHttp(HttpServer server, SSLContext clientTls) {
        this.server = server;
        this.clientTls = clientTls;
    }

    /** A server over TLS. */
    public static LoopbackHttp https() throws IOException, GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = g.generateKeyPair();
        X500Principal name = new X500Principal("CN=127.0.0.1");
        Instant now = Instant.now();
        X509Certificate cert;
        try {
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, new BigInteger(64, new SecureRandom()),
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(1))), name,
                    pair.getPublic());
            b.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
            cert = new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
        } catch (org.bouncycastle.operator.OperatorCreationException | org.bouncycastle.cert.CertIOException e) {
            throw new GeneralSecurityException(e);
        }
        char[] pw = "test".toCharArray();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("server", pair.getPrivate(), pw, new X509Certificate[] {cert});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, pw);
        SSLContext serverTls = SSLContext.getInstance("TLS");
        serverTls.init(kmf.getKeyManagers(), null, null);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server", cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext clientTls = SSLContext.getInstance("TLS");
        clientTls.init(null, tmf.getTrustManagers(), null);
        HttpsServer s = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        s.setHttpsConfigurator(new HttpsConfigurator(serverTls));
        return start(s, clientTls);
    }

    /** A server over plain HTTP. */
    public static LoopbackHttp plain() throws IOException {
        return start(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0), null);
    }

    private static LoopbackHttp start(HttpServer s, SSLContext clientTls) {
        LoopbackHttp h = new LoopbackHttp(s, clientTls);
        s.start();
        return h;
    }

    /** Serves {@code path} (and below) with {@code handler}, recording each request. */
    public LoopbackHttp on(String path, HttpHandler handler) {
        server.createContext(path, exchange -> {
            requests.add(exchange.getRequestURI().toString());
            try (exchange) {
                handler.handle(exchange);
            }
        });
        return this;
    }

    /** Answers with {@code code} and a {@code Location} header. */
    public static HttpHandler redirect(int code, String location) {
        return exchange -> {
            exchange.getResponseHeaders().add("Location", location);
            exchange.sendResponseHeaders(code, -1);
        };
    }

    /** Answers 200 with {@code body}. */
    public static HttpHandler body(byte[] body) {
        return exchange -> {
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        };
    }

    /** Drains the request body and answers {@code code}. */
    public static HttpHandler status(int code) {
        return (HttpExchange exchange) -> {
            exchange.getRequestBody().transferTo(java.io.OutputStream.nullOutputStream());
            exchange.sendResponseHeaders(code, -1);
        };
    }

    /** {@code scheme://127.0.0.1:port} + {@code path}. */
    public URI uri(String path) {
        return URI.create((clientTls == null ? "http" : "https") + "://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    /** A client TLS context that trusts this server's certificate only. */
    public SSLContext clientTls() {
        if (clientTls == null) {
            throw new IllegalStateException("a plain HTTP server has no certificate");
        }
        return clientTls;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
