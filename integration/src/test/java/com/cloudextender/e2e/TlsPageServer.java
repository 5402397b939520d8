package com.cloudextender.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * An intranet HTTPS site on 127.0.0.1 whose certificate is issued by a private CA made here: the CA
 * signs a server certificate for the DNS name {@code localhost} only (no IP address), so
 * {@code https://localhost:PORT/} verifies against {@link #caPem} and {@code https://127.0.0.1:PORT/}
 * is a host-name mismatch. Every request gets a small page and the connection closes.
 */
final class TlsPageServer implements AutoCloseable {
    static final String PAGE = "secure intranet page\n";
    private final SSLServerSocket server;
    private final Path caPem;

    TlsPageServer(Path dir) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair ca = g.generateKeyPair();
        KeyPair leaf = g.generateKeyPair();
        X500Name caName = new X500Name("CN=Intranet Test CA");
        X509Certificate caCert = sign(caName, caName, ca.getPublic(), ca, true, null);
        X509Certificate leafCert = sign(caName, new X500Name("CN=localhost"), leaf.getPublic(), ca, false,
                new GeneralNames(new GeneralName(GeneralName.dNSName, "localhost")));
        caPem = dir.resolve("intranet-ca.pem");
        Files.writeString(caPem, "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(caCert.getEncoded())
                + "\n-----END CERTIFICATE-----\n");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        char[] pw = "test-only".toCharArray();
        ks.setKeyEntry("site", leaf.getPrivate(), pw, new X509Certificate[] {leafCert, caCert});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, pw);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, new SecureRandom());
        server = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "tls-page-server");
        t.setDaemon(true);
        t.start();
    }

    private static X509Certificate sign(X500Name issuer, X500Name subject, java.security.PublicKey key, KeyPair ca,
            boolean isCa, GeneralNames san) throws Exception {
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(now.toEpochMilli()
                + (isCa ? 0 : 1)), Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))),
                subject, key);
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
        if (san != null) {
            b.addExtension(Extension.subjectAlternativeName, false, san);
        }
        return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA")
                .build(ca.getPrivate())));
    }

    int port() {
        return server.getLocalPort();
    }

    /** The private CA's certificate (PEM), for the module's {@code target.trustStore}. */
    Path caPem() {
        return caPem;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread t = new Thread(() -> {
                    try (s) {
                        InputStream in = s.getInputStream();
                        if (LoopbackServer.readHead(in) != null) {
                            LoopbackServer.respond(s.getOutputStream(), 200, "OK", PAGE, "Connection: close");
                        }
                    } catch (IOException e) {
                        // a refused handshake or a peer gone: nothing to serve
                    }
                }, "tls-page-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
