package com.cloudextender.modules.support.tls;

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

/**
 * The TLS trust of a module's HTTPS client: the certificates of an administrator's PEM file (typically a
 * private CA), or the JVM's default trust when none is configured. Verification is never turned off.
 */
public final class PemTrust {
    private PemTrust() {
    }

    /**
     * An SSL context that trusts exactly the certificates in {@code pemFile}, or the JVM's default context
     * when it is empty.
     *
     * @throws IOException naming the file when it cannot be read, is not PEM, or holds no certificate
     */
    public static SSLContext sslContext(Optional<Path> pemFile) throws IOException {
        try {
            if (pemFile.isEmpty()) {
                return SSLContext.getDefault();
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(keyStore(pemFile.get()));
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read the trust store " + pemFile.orElse(null) + ": " + e.getMessage(), e);
        }
    }

    /** The certificates of {@code pemFile} as trusted entries of an in-memory key store. */
    static KeyStore keyStore(Path pemFile) throws IOException, GeneralSecurityException {
        Collection<? extends Certificate> certs;
        try (InputStream in = Files.newInputStream(pemFile)) {
            certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
        if (certs.isEmpty()) {
            throw new IOException(pemFile + " holds no certificate; give a PEM file of trusted certificates");
        }
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        int i = 0;
        for (Certificate c : certs) {
            ks.setCertificateEntry("trusted-" + i++, c);
        }
        return ks;
    }
}
