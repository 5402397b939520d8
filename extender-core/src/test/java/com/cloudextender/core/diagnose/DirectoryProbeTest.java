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
}
