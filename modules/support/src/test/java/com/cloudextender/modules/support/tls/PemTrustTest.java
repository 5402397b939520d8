package com.cloudextender.modules.support.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemTrustTest {
    @TempDir
    Path dir;

    @Test
    void withoutAFileTheJvmsDefaultTrustIsUsed() throws Exception {
        assertSame(SSLContext.getDefault(), PemTrust.sslContext(Optional.empty()));
    }

    @Test
    void everyCertificateOfThePemFileIsTrustedAndNothingElse() throws Exception {
        List<Certificate> two = jvmCertificates().subList(0, 2);
        StringBuilder pem = new StringBuilder();
        for (Certificate c : two) {
            pem.append("-----BEGIN CERTIFICATE-----\n")
                    .append(Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(c.getEncoded()))
                    .append("\n-----END CERTIFICATE-----\n");
        }
        Path file = Files.writeString(dir.resolve("ca.pem"), pem);

        KeyStore ks = PemTrust.keyStore(file);
        assertEquals(2, ks.size());
        for (String alias : Collections.list(ks.aliases())) {
            assertTrue(two.contains(ks.getCertificate(alias)), alias);
        }
        assertEquals("TLS", PemTrust.sslContext(Optional.of(file)).getProtocol());
    }

    @Test
    void aFileWithoutCertificatesIsRefusedNamingTheFile() throws IOException {
        Path empty = Files.writeString(dir.resolve("empty.pem"), "");
        IOException e = assertThrows(IOException.class, () -> PemTrust.sslContext(Optional.of(empty)));
        assertTrue(e.getMessage().contains(empty.toString()), e.getMessage());
    }

    private static List<Certificate> jvmCertificates() throws Exception {
        KeyStore cacerts = KeyStore.getInstance(KeyStore.getDefaultType());
        try (InputStream in = Files.newInputStream(Path.of(System.getProperty("java.home"), "lib", "security", "cacerts"))) {
            cacerts.load(in, null);
        }
        List<Certificate> out = new java.util.ArrayList<>();
        for (String alias : Collections.list(cacerts.aliases())) {
            out.add(cacerts.getCertificate(alias));
        }
        return out;
    }
}
