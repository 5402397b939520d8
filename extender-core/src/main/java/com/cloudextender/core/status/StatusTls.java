package com.cloudextender.core.status;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Collections;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** The status page's TLS server key, read from a PKCS#12 key store (status.keyStore). */
public final class StatusTls {
    private StatusTls() {
    }

    /**
     * A server context holding the key store's key.
     *
     * @throws IllegalArgumentException naming {@code status.keyStore} when the file cannot be read, the password
     *                                  is wrong, or it holds no private key
     */
    public static SSLContext context(Path keyStore, String password) {
        try (InputStream in = Files.newInputStream(keyStore)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password.toCharArray());
            boolean hasKey = false;
            for (String alias : Collections.list(ks.aliases())) {
                hasKey |= ks.isKeyEntry(alias);
            }
            if (!hasKey) {
                throw new IllegalArgumentException("status.keyStore: " + keyStore + " holds no private key; it needs "
                        + "the page's certificate with its key");
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, password.toCharArray());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("status.keyStore: cannot read " + keyStore + " as a PKCS#12 key store "
                    + "with status.keyStorePassword (" + e.getMessage() + ")", e);
        }
    }
}
