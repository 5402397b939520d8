package com.cloudextender.core.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.Optional;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import com.cloudextender.core.config.ConfigException;

/**
 * Builds the TLS context that verifies the cloud: the JDK's trusted authorities by default, or the
 * administrator's trust store (a PEM file of certificates, or PKCS12/JKS). There is no switch that
 * turns verification off.
 */
public final class TrustMaterial {
    private final X509TrustManager trustManager;

    private TrustMaterial(X509TrustManager trustManager) {
        this.trustManager = trustManager;
    }

    /** Loads the trust store, or the JDK's defaults when none is configured. */
    public static TrustMaterial load(Optional<Path> trustStore, Optional<String> password) {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trustStore.isPresent() ? load(trustStore.get(), password) : null);
            for (javax.net.ssl.TrustManager tm : tmf.getTrustManagers()) {
                if (tm instanceof X509TrustManager x) {
                    return new TrustMaterial(x);
                }
            }
            throw new ConfigException("cloud.trustStore: the Java runtime offers no X.509 trust manager");
        } catch (GeneralSecurityException e) {
            throw new ConfigException("cloud.trustStore: cannot be used: " + e.getMessage(), e);
        }
    }

    /**
     * The trust manager itself. Smack takes this, not an SSLContext: Smack re-initialises any context it is
     * given with its own trust managers (the JDK defaults when none), which would silently drop ours.
     */
    public X509TrustManager trustManager() {
        return trustManager;
    }

    /** A new TLS context that trusts exactly this material. */
    public SSLContext sslContext() {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new javax.net.ssl.TrustManager[] {trustManager}, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS is not available in this Java runtime", e);
        }
    }

    static KeyStore load(Path file, Optional<String> password) {
        try {
            byte[] head;
            try (InputStream in = Files.newInputStream(file)) {
                head = in.readNBytes(64);
            }
            if (new String(head, java.nio.charset.StandardCharsets.US_ASCII).contains("-----BEGIN")) {
                return fromPem(file);
            }
            char[] pw = password.map(String::toCharArray).orElse(null);
            return KeyStore.getInstance(file.toFile(), pw);
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException("cloud.trustStore: cannot read " + file + " as PEM certificates or as a "
                    + "PKCS12/JKS store (" + e.getMessage() + "); check the file and cloud.trustStorePassword", e);
        }
    }

    private static KeyStore fromPem(Path file) throws IOException, GeneralSecurityException {
        Collection<? extends Certificate> certs;
        try (InputStream in = Files.newInputStream(file)) {
            certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
        if (certs.isEmpty()) {
            throw new ConfigException("cloud.trustStore: " + file + " holds no certificate");
        }
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        int i = 0;
        for (Certificate c : certs) {
            ks.setCertificateEntry("cert-" + i++, c);
        }
        return ks;
    }
}
