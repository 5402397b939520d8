package com.cloudextender.devcloud.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsIdentityTest {
    @TempDir
    Path dir;

    @Test
    void theCertificateCoversLocalhostTheDomainAndLoopbackForTwoYears() throws Exception {
        TlsIdentity identity = TlsIdentity.loadOrCreate(dir, "cloud.example");

        X509Certificate pem;
        try (InputStream in = Files.newInputStream(dir.resolve(TlsIdentity.CERTIFICATE_PEM_FILE))) {
            pem = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        assertEquals(identity.certificate(), pem);
        Set<String> names = new HashSet<>();
        for (List<?> san : pem.getSubjectAlternativeNames()) {
            names.add(san.get(1).toString());
        }
        assertTrue(names.containsAll(Set.of("localhost", "cloud.example", "127.0.0.1")), names.toString());
        long days = Duration.between(Instant.now(), pem.getNotAfter().toInstant()).toDays();
        assertTrue(days >= 728 && days <= 730, "valid for about two years, not " + days + " days");
        assertTrue(Files.exists(dir.resolve(TlsIdentity.KEY_STORE_FILE)));
    }

    @Test
    void laterStartsReuseTheIdentityUnlessTheDomainChanges() throws Exception {
        X509Certificate first = TlsIdentity.loadOrCreate(dir, "localhost").certificate();

        X509Certificate again = TlsIdentity.loadOrCreate(dir, "localhost").certificate();
        X509Certificate otherDomain = TlsIdentity.loadOrCreate(dir, "cloud.example").certificate();

        assertEquals(first, again);
        assertNotEquals(first, otherDomain);
    }
}
