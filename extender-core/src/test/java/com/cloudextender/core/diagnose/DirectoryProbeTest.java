package com.cloudextender.core.diagnose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.cloudextender.core.tls.TrustMaterial;
import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;

class DirectoryProbeTest {
    private static final String BASE = "dc=corp,dc=example";
    private static final String SVC = "cn=svc," + BASE;
    private static InMemoryDirectoryServer server;

    @BeforeAll
    static void up() throws Exception {
        InMemoryDirectoryServerConfig c = new InMemoryDirectoryServerConfig(BASE);
        c.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("ldap", InetAddress.getLoopbackAddress(), 0, null));
        server = new InMemoryDirectoryServer(c);
        server.add("dn: " + BASE, "objectClass: domain", "dc: corp");
        server.add("dn: ou=People," + BASE, "objectClass: organizationalUnit", "ou: People");
        server.add("dn: ou=Groups," + BASE, "objectClass: organizationalUnit", "ou: Groups");
        server.add("dn: " + SVC, "objectClass: person", "cn: svc", "sn: svc", "userPassword: svc-pw");
        server.add("dn: uid=alice,ou=People," + BASE, "objectClass: inetOrgPerson", "uid: alice", "cn: Alice",
                "sn: A", "userPassword: alice-pw");
        server.add("dn: uid=al*,ou=People," + BASE, "objectClass: inetOrgPerson", "uid: al*", "cn: Star",
                "sn: S", "userPassword: star-pw");
        server.startListening();
    }

    @AfterAll
    static void down() {
        server.shutDown(true);
    }

    private static DirectoryProbe bind(String password) throws ProbeFailure {
        return DirectoryProbe.bind(new DirectoryProbe.Settings(List.of("ldap://127.0.0.1:" + server.getListenPort()),
                false, SVC, "openLdap"), password, TrustMaterial.load(Optional.empty(), Optional.empty()).trustManager(),
                5000);
    }

    @Test
    void bindsListsNamingContextsAndOusAndAuthenticatesAUser() throws Exception {
        try (DirectoryProbe p = bind("svc-pw")) {
            assertEquals(List.of(BASE), p.namingContexts());
            assertEquals(List.of("ou=Groups," + BASE, "ou=People," + BASE), p.topOus(BASE));
            assertEquals("uid=alice,ou=People," + BASE, p.authenticate(BASE, "alice", "alice-pw"));
        }
    }

    @Test
    void aWrongServicePasswordIsABindFailure() {
        ProbeFailure f = assertThrows(ProbeFailure.class, () -> bind("wrong"));
        assertEquals(ProbeFailure.Kind.DIRECTORY_BIND, f.kind());
        assertTrue(f.getMessage().contains("invalid credentials"), f.getMessage());
    }

    @Test
    void userFailuresSayWhy() throws Exception {
        try (DirectoryProbe p = bind("svc-pw")) {
            ProbeFailure wrong = assertThrows(ProbeFailure.class, () -> p.authenticate(BASE, "alice", "nope"));
            assertEquals(ProbeFailure.Kind.DIRECTORY_USER, wrong.kind());
            assertTrue(wrong.getMessage().contains("refused the password"));
            assertTrue(assertThrows(ProbeFailure.class, () -> p.authenticate(BASE, "nobody", "x")).getMessage()
                    .contains("no user nobody"));
            assertTrue(assertThrows(ProbeFailure.class, () -> p.authenticate(BASE, "alice", "")).getMessage()
                    .contains("empty"), "an empty password is never sent (it would be an anonymous bind)");
            // The '*' is escaped: it matches the one entry named al*, not alice as well (which would be ambiguous).
            assertEquals("uid=al*,ou=People," + BASE, p.authenticate(BASE, "al*", "star-pw"));
        }
    }

    @Test
    void anUnknownBaseDnIsExplained() throws Exception {
        try (DirectoryProbe p = bind("svc-pw")) {
            assertTrue(assertThrows(ProbeFailure.class, () -> p.topOus("dc=nowhere")).getMessage()
                    .contains("does not exist"));
        }
    }

    @Test
    void anActiveDirectoryAccountThatCannotReadDeletedObjectsIsWarnedAboutWithTheGrant() throws Exception {
        InMemoryDirectoryServerConfig c = new InMemoryDirectoryServerConfig(BASE);
        c.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("ldap", InetAddress.getLoopbackAddress(), 0, null));
        // Looks like Active Directory, but (like an ordinary domain user's view) shows no deleted objects.
        c.setCustomRootDSEAttributes(List.of(
                new com.unboundid.ldap.sdk.Attribute("supportedCapabilities", "1.2.840.113556.1.4.800"),
                new com.unboundid.ldap.sdk.Attribute("defaultNamingContext", BASE)));
        InMemoryDirectoryServer ad = new InMemoryDirectoryServer(c);
        try {
            ad.add("dn: " + BASE, "objectClass: domain", "dc: corp");
            ad.add("dn: " + SVC, "objectClass: person", "cn: svc", "sn: svc", "userPassword: svc-pw");
            ad.startListening();
            try (DirectoryProbe p = DirectoryProbe.bind(new DirectoryProbe.Settings(List.of("ldap://127.0.0.1:"
                    + ad.getListenPort()), false, SVC, "activeDirectory"), "svc-pw", TrustMaterial.load(Optional.empty(),
                    Optional.empty()).trustManager(), 5000)) {
                Check check = p.deletedObjectsCheck("directory corp deleted objects").orElseThrow();
                assertEquals(Check.Level.WARN, check.level());
                assertTrue(check.detail().contains("cannot read CN=Deleted Objects," + BASE), check.detail());
                assertTrue(check.fix().contains("/G \"DOMAIN\\account:LCRP\""), check.fix());
            }
        } finally {
            ad.shutDown(true);
        }
        try (DirectoryProbe p = bind("svc-pw")) {
            assertTrue(p.deletedObjectsCheck("x").isEmpty(), "not Active Directory: nothing to check");
        }
    }

    @Test
    void aCertificateForAnotherHostNameIsRefusedAndSaysWhichNamesItHas() throws Exception {
        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("EC");
        g.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
        java.security.KeyPair pair = g.generateKeyPair();
        javax.security.auth.x500.X500Principal name = new javax.security.auth.x500.X500Principal("CN=dc1.corp.example.test");
        java.time.Instant now = java.time.Instant.now();
        var b = new org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder(name, java.math.BigInteger.TEN,
                java.util.Date.from(now.minusSeconds(3600)), java.util.Date.from(now.plusSeconds(3600)), name,
                pair.getPublic());
        b.addExtension(org.bouncycastle.asn1.x509.Extension.subjectAlternativeName, false,
                new org.bouncycastle.asn1.x509.GeneralNames(new org.bouncycastle.asn1.x509.GeneralName(
                        org.bouncycastle.asn1.x509.GeneralName.dNSName, "dc1.corp.example.test")));
        java.security.cert.X509Certificate cert = new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter()
                .getCertificate(b.build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withECDSA")
                        .build(pair.getPrivate())));
        java.security.KeyStore keys = java.security.KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("server", pair.getPrivate(), "pw".toCharArray(), new java.security.cert.X509Certificate[] {cert});
        java.security.KeyStore trusted = java.security.KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("server", cert);
        var tmf = javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);

        var kmf = javax.net.ssl.KeyManagerFactory.getInstance(javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, "pw".toCharArray());
        javax.net.ssl.SSLContext serverTls = javax.net.ssl.SSLContext.getInstance("TLS");
        serverTls.init(kmf.getKeyManagers(), null, null);
        InMemoryDirectoryServerConfig c = new InMemoryDirectoryServerConfig(BASE);
        c.setListenerConfigs(InMemoryListenerConfig.createLDAPSConfig("ldaps", InetAddress.getLoopbackAddress(), 0,
                serverTls.getServerSocketFactory(), null));
        InMemoryDirectoryServer ldaps = new InMemoryDirectoryServer(c);
        ldaps.startListening();
        try {
            // By name, since the check is skipped for loopback IP literals; the certificate is trusted but names another host.
            ProbeFailure f = assertThrows(ProbeFailure.class, () -> DirectoryProbe.bind(new DirectoryProbe.Settings(
                    List.of("ldaps://localhost:" + ldaps.getListenPort()), false, SVC, "openLdap"), "svc-pw",
                    (javax.net.ssl.X509TrustManager) tmf.getTrustManagers()[0], 5000));
            assertTrue(f.getMessage().contains("host name verification failed for localhost, certificate names "
                    + "[dc1.corp.example.test, CN=dc1.corp.example.test]"), f.getMessage());
        } finally {
            ldaps.shutDown(true);
        }
    }
}
