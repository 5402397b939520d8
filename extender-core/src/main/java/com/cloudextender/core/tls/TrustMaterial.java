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

import com.cloudextender.core.config.ConfigException;

/**
 * Builds the TLS context that verifies the cloud: the JDK's trusted authorities by default, or the
 * administrator's trust store (a PEM file of certificates, or PKCS12/JKS). There is no switch that
 * turns verification off.
 */
public final class TrustMaterial {
    private TrustMaterial() {
    }

    public static SSLContext sslContext(Optional<Path> trustStore, Optional<String> password) {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trustStore.isPresent() ? load(trustStore.get(), password) : null);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new ConfigException("cloud.trustStore: cannot be used: " + e.getMessage(), e);
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
