package com.cloudextender.modules.directory.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.cloudextender.api.Command;
import com.cloudextender.modules.directory.DirectoryModule;
import com.cloudextender.modules.directory.testing.TestContexts;
import com.cloudextender.modules.directory.testing.TestDirectory;
import com.cloudextender.modules.support.Json;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** StartTLS is the default for ldap:// URLs; plain LDAP only with allowPlaintext, and then warned about. */
class TransportSecurityTest {
    @TempDir
    Path dir;
    private TestDirectory ldap;
    private DirectoryModule module;

    @AfterEach
    void tearDown() {
        if (module != null) {
            module.stop();
        }
        if (ldap != null) {
            ldap.close();
        }
    }

    private boolean authenticates() throws Exception {
        var r = module.actions().get("authenticate").execute(new Command("c", "directory", "authenticate",
                "{\"username\":\"alice\",\"password\":\"Alice-Pw-1\"}", Duration.ofSeconds(30)));
        return Json.MAPPER.readTree(r.payload()).path("authenticated").asBoolean();
    }

    @Test
    void anLdapUrlIsUpgradedWithStartTlsBeforeAnyPasswordIsSent() throws Exception {
        ldap = new TestDirectory().withSampleData();
        module = new DirectoryModule();
        module.start(TestContexts.create(ldap.config(Map.of()), TestDirectory.secrets(), dir));
        assertTrue(authenticates());
        // The service account's pool connection and the user's bind connection each started TLS.
        assertTrue(ldap.startTlsRequests.get() >= 2, "StartTLS requests: " + ldap.startTlsRequests.get());
    }

    @Test
    void aServerWithoutStartTlsNeverReceivesAPasswordUnlessPlaintextIsAllowed() throws Exception {
        ldap = new TestDirectory(false).withSampleData();
        module = new DirectoryModule();
        assertThrows(Exception.class, () -> module.start(TestContexts.create(ldap.config(Map.of()),
                TestDirectory.secrets(), dir)));
        module.stop();
        assertEquals(0, ldap.binds.get(), "no bind, so no password, reached a server that cannot encrypt");
    }

    @Test
    void allowPlaintextWorksAndIsWarnedAboutAtStartAndInTheSelfCheck() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(DirectoryModule.class);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        logger.addAppender(logs);
        try {
            ldap = new TestDirectory(false).withSampleData();
            module = new DirectoryModule();
            module.start(TestContexts.create(ldap.config(Map.of("profile.corp.allowPlaintext", "true")),
                    TestDirectory.secrets(), dir));
            module.selfCheck();
            assertTrue(authenticates());
        } finally {
            logger.detachAppender(logs);
        }
        long warnings = logs.list.stream().filter(e -> e.getLevel() == Level.WARN
                && e.getFormattedMessage().startsWith("profile corp: plain LDAP without StartTLS (allowPlaintext=true)"))
                .count();
        assertEquals(2, warnings, "one warning at start, one in the self-check: " + logs.list);
    }

    @Test
    void theServersCertificateMustNameTheHostAndAMismatchSaysSo() throws Exception {
        ldap = TestDirectory.withMismatchedCertificate().withSampleData();
        // ldaps:// and StartTLS to localhost, where the (trusted) certificate names dc1.corp.example.test only.
        for (String url : new String[] {ldap.ldapsUrl(), ldap.url()}) {
            module = new DirectoryModule();
            Exception e = assertThrows(Exception.class, () -> module.start(TestContexts.create(ldap.config(Map.of(
                    "profile.corp.servers", url)), TestDirectory.secrets(), dir)));
            module.stop();
            assertTrue(e.getMessage().contains("host name verification failed for localhost, certificate names "
                    + "[dc1.corp.example.test, CN=dc1.corp.example.test]"), url + ": " + e.getMessage());
            assertTrue(e.getMessage().contains("use the name in the server's certificate"), e.getMessage());
        }
        assertEquals(0, ldap.binds.get(), "the service account's password never went to the wrong server");
    }

    @Test
    void ldapsByTheCertificatesHostNameWorks() throws Exception {
        ldap = new TestDirectory().withSampleData();
        module = new DirectoryModule();
        module.start(TestContexts.create(ldap.config(Map.of("profile.corp.servers", ldap.ldapsUrl())),
                TestDirectory.secrets(), dir));
        assertTrue(authenticates());
    }
}
