package com.cloudextender.devcloud;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.List;

import javax.net.SocketFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/** Client-side TLS for tests: trusts exactly the dev cloud's PEM, with host-name verification on. */
final class TestTls {
    private TestTls() {
    }

    /** An SSL context whose only trust anchor is the certificate in {@code pem}. */
    static SSLContext trusting(Path pem) throws IOException, GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {trustManager(pem)}, null);
        return context;
    }

    /**
     * A trust manager whose only trust anchor is the certificate in {@code pem}. Smack 4.4 needs this
     * form for STARTTLS: it re-initialises a custom SSLContext with the default trust managers.
     */
    static X509TrustManager trustManager(Path pem) throws IOException, GeneralSecurityException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(pem)) {
            Certificate cert = CertificateFactory.getInstance("X.509").generateCertificate(in);
            trust.setCertificateEntry("dev-cloud", cert);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        for (TrustManager tm : tmf.getTrustManagers()) {
            if (tm instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new GeneralSecurityException("no X509TrustManager");
    }

    /**
     * Sockets that do TLS from the first byte and verify the server's certificate and host name (HTTPS
     * rules against the SAN names) for {@code expectedHost}, as the extender does for direct TLS. The
     * JDK checks the SNI name and, failing that, the host the socket connected to by name.
     */
    static SocketFactory directTls(SSLContext context, String expectedHost) {
        return new SocketFactory() {
            @Override
            public Socket createSocket() throws IOException {
                SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket();
                SSLParameters params = socket.getSSLParameters();
                params.setEndpointIdentificationAlgorithm("HTTPS");
                params.setServerNames(List.of(new SNIHostName(expectedHost)));
                socket.setSSLParameters(params);
                return socket;
            }

            @Override
            public Socket createSocket(String host, int port) throws IOException {
                throw new UnsupportedOperationException();
            }

            @Override
            public Socket createSocket(String host, int port, InetAddress localHost, int localPort) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Socket createSocket(InetAddress host, int port) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) {
                throw new UnsupportedOperationException();
            }
        };
    }
}
