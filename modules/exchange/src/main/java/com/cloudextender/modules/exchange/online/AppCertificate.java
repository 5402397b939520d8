package com.cloudextender.modules.exchange.online;

import com.cloudextender.modules.exchange.cmdlet.ExchangeException;
import com.cloudextender.modules.exchange.cmdlet.ExchangeException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collections;

/**
 * The application's certificate and private key for app-only authentication, read from a PKCS#12
 * file. The key stays in memory only. Immutable.
 *
 * @param key         the private key that signs the client assertion
 * @param certificate its certificate, registered with the application in Entra ID
 */
public record AppCertificate(PrivateKey key, X509Certificate certificate) {
    /** Reads the first key entry of the PKCS#12 file {@code file}. */
    public static AppCertificate read(Path file, char[] password) throws ExchangeException {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password);
            for (String alias : Collections.list(ks.aliases())) {
                if (ks.isKeyEntry(alias)) {
                    return new AppCertificate((PrivateKey) ks.getKey(alias, password),
                            (X509Certificate) ks.getCertificate(alias));
                }
            }
            throw new ExchangeException(Reason.INVALID_PARAMETER, "online.certificate: " + file
                    + " holds no private key; export the application's certificate with its key as PKCS#12");
        } catch (IOException | GeneralSecurityException e) {
            throw new ExchangeException(Reason.INVALID_PARAMETER, "online.certificate: cannot read " + file
                    + " as PKCS#12 with online.certificatePassword: " + e.getMessage(), e);
        }
    }

    /** Throws {@link Reason#CERTIFICATE_EXPIRED} unless the certificate is valid at {@code now}. */
    public void checkValid(Instant now) throws ExchangeException {
        if (now.isAfter(certificate.getNotAfter().toInstant())) {
            throw new ExchangeException(Reason.CERTIFICATE_EXPIRED, "the application certificate "
                    + certificate.getSubjectX500Principal().getName() + " expired on " + certificate.getNotAfter().toInstant()
                    + "; create a new one, register it with the application and set online.certificate");
        }
        if (now.isBefore(certificate.getNotBefore().toInstant())) {
            throw new ExchangeException(Reason.CERTIFICATE_EXPIRED, "the application certificate "
                    + certificate.getSubjectX500Principal().getName() + " is not valid before "
                    + certificate.getNotBefore().toInstant() + "; check the server's clock");
        }
    }
}
