package com.cloudextender.devcloud.tls;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.cloudextender.devcloud.auth.SecretFiles;

/**
 * The dev cloud's TLS server identity, kept in its data directory.
 *
 * <p>On first start a self-signed certificate and key are created and stored in
 * {@value #KEY_STORE_FILE} (PKCS12, password {@value #KEY_STORE_PASSWORD}: a constant, because this is
 * a development tool whose key protects nothing of value; the file is still owner-readable only). The
 * certificate is also written as PEM to {@value #CERTIFICATE_PEM_FILE}: that file is what an extender
 * configures as its trust store. Later starts reuse both, so extenders keep trusting the cloud. A new
 * identity is created only when the stored one has expired or does not cover the configured domain.
 */
public final class TlsIdentity {
    /** The PKCS12 key store with the private key and certificate. */
    public static final String KEY_STORE_FILE = "dev-cloud-tls.p12";
    /** The certificate in PEM, for clients' trust stores. */
    public static final String CERTIFICATE_PEM_FILE = "dev-cloud-cert.pem";
    /** Password of the key store and its key entry; documented, see the class comment. */
    public static final String KEY_STORE_PASSWORD = "dev-cloud";

    private static final Logger LOG = LoggerFactory.getLogger(TlsIdentity.class);
    private static final String ALIAS = "dev-cloud";

    private final KeyStore keyStore;
    private final X509Certificate certificate;
    private final Path certificatePem;

    private TlsIdentity(KeyStore keyStore, X509Certificate certificate, Path certificatePem) {
        this.keyStore = keyStore;
        this.certificate = certificate;
        this.certificatePem = certificatePem;
    }

    /** Loads the identity from {@code dataDir}, creating it first when needed. */
    public static TlsIdentity loadOrCreate(Path dataDir, String domain) throws IOException {
        Path storeFile = dataDir.resolve(KEY_STORE_FILE);
        Path pemFile = dataDir.resolve(CERTIFICATE_PEM_FILE);
        try {
            if (Files.exists(storeFile)) {
                KeyStore store = load(storeFile);
                X509Certificate cert = (X509Certificate) store.getCertificate(ALIAS);
                String unusable = unusableReason(cert, domain);
                if (unusable == null) {
                    if (!Files.exists(pemFile)) {
                        writePem(pemFile, cert);
                    }
                    return new TlsIdentity(store, cert, pemFile);
                }
                LOG.warn("Replacing the TLS certificate in {}: {}. Extenders must trust the new {}", storeFile,
                        unusable, pemFile);
            }
            SelfSignedCertificate.Issued issued = SelfSignedCertificate.create(domain);
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(ALIAS, issued.keyPair().getPrivate(), KEY_STORE_PASSWORD.toCharArray(),
                    new Certificate[] {issued.certificate()});
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            store.store(bytes, KEY_STORE_PASSWORD.toCharArray());
            SecretFiles.write(storeFile, bytes.toByteArray());
            writePem(pemFile, issued.certificate());
            LOG.info("Created a self-signed TLS certificate for {} in {}; clients trust it through {}", domain,
                    storeFile, pemFile);
            return new TlsIdentity(store, issued.certificate(), pemFile);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot load or create the TLS identity in " + storeFile + ": " + e.getMessage(), e);
        }
    }

    /** A server-side TLS context presenting this identity. */
    public SSLContext serverContext() {
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keyStore, KEY_STORE_PASSWORD.toCharArray());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot create the TLS server context: " + e.getMessage(), e);
        }
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** The PEM file clients put in their trust store. */
    public Path certificatePem() {
        return certificatePem;
    }

    private static KeyStore load(Path file) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, KEY_STORE_PASSWORD.toCharArray());
        }
        if (!(store.getKey(ALIAS, KEY_STORE_PASSWORD.toCharArray()) instanceof PrivateKey)
                || !(store.getCertificate(ALIAS) instanceof X509Certificate)) {
            throw new GeneralSecurityException(file + " has no key entry '" + ALIAS + "'");
        }
        return store;
    }

    /** Why {@code cert} cannot serve {@code domain}, or null when it can. */
    private static String unusableReason(X509Certificate cert, String domain) throws CertificateParsingException {
        if (cert.getNotAfter().toInstant().isBefore(Instant.now().plusSeconds(86_400))) {
            return "it expires on " + cert.getNotAfter().toInstant();
        }
        Collection<List<?>> sans = cert.getSubjectAlternativeNames();
        String wanted = domain.toLowerCase(Locale.ROOT);
        if (sans != null) {
            for (List<?> san : sans) {
                if (san.size() == 2 && wanted.equalsIgnoreCase(String.valueOf(san.get(1)))) {
                    return null;
                }
            }
        }
        return "it does not name the domain '" + domain + "'";
    }

    private static void writePem(Path file, X509Certificate cert) throws IOException, GeneralSecurityException {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(cert.getEncoded());
        String pem = "-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n";
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, pem, StandardCharsets.US_ASCII);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
