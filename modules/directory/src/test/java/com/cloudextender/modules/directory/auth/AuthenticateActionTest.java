package com.cloudextender.modules.directory.auth;

import com.cloudextender.modules.directory.testing.TestContexts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.cloudextender.api.Command;
import com.cloudextender.api.CommandException;
import com.cloudextender.api.ErrorCode;
import com.cloudextender.modules.directory.DirectoryModule;
import com.cloudextender.modules.support.Json;
import com.cloudextender.modules.testkit.FakeModuleContext;
import com.cloudextender.modules.directory.testing.TestDirectory;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class AuthenticateActionTest {
    @TempDir
    Path dir;
    TestDirectory ldap;
    DirectoryModule module;

    @BeforeEach
    void setUp() throws Exception {
        ldap = new TestDirectory().withSampleData();
    }

    @AfterEach
    void tearDown() {
        if (module != null) {
            module.stop();
        }
        ldap.close();
    }

    private void start(Map<String, String> extra) throws Exception {
        module = new DirectoryModule();
        module.start(TestContexts.create(ldap.config(extra), TestDirectory.secrets(), dir));
    }

    private JsonNode authenticate(String args) throws Exception {
        var result = module.actions().get("authenticate")
                .execute(new Command("c1", "directory", "authenticate", args, Duration.ofSeconds(30)));
        assertTrue(result.isOk(), result.payload());
        return Json.MAPPER.readTree(result.payload());
    }

    @Test
    void acceptsTheRightPasswordAndReturnsAttributesAndGroups() throws Exception {
        start(Map.of());
        JsonNode r = authenticate("{\"username\":\"alice\",\"password\":\"Alice-Pw-1\",\"attributes\":true,\"groups\":true}");
        assertTrue(r.get("authenticated").asBoolean());
        assertEquals("corp", r.get("profile").asText());
        assertEquals("cn=alice,ou=Staff," + TestDirectory.BASE, r.get("dn").asText());
        assertEquals("alice@corp.test", r.get("attributes").get("mail").asText());
        assertEquals(36, r.get("attributes").get("objectGUID").asText().length());
        assertEquals("cn=Admins,ou=Staff," + TestDirectory.BASE, r.get("groups").get(0).asText());
    }

    @Test
    void findsGroupsBySearchWhenTheEntryHasNoMemberOf() throws Exception {
        start(Map.of());
        JsonNode r = authenticate("{\"username\":\"carol@corp.test\",\"password\":\"Carol-Pw-3\",\"groups\":true}");
        assertTrue(r.get("authenticated").asBoolean());
        assertEquals("cn=Admins,ou=Staff," + TestDirectory.BASE, r.get("groups").get(0).asText());
    }

    @Test
    void refusesAWrongPassword() throws Exception {
        start(Map.of());
        JsonNode r = authenticate("{\"username\":\"alice\",\"password\":\"wrong\"}");
        assertFalse(r.get("authenticated").asBoolean());
        assertEquals("INVALID_CREDENTIALS", r.get("reason").asText());
    }

    @Test
    void refusesAnEmptyPasswordWithoutBinding() throws Exception {
        start(Map.of());
        for (String args : new String[] {"{\"username\":\"alice\",\"password\":\"\"}", "{\"username\":\"alice\"}"}) {
            CommandException e = assertThrows(CommandException.class, () -> module.actions().get("authenticate")
                    .execute(new Command("c1", "directory", "authenticate", args, Duration.ofSeconds(5))));
            assertEquals(ErrorCode.INVALID_ARGUMENTS, e.code());
        }
    }

    @Test
    void anUnknownUserIsNotFound() throws Exception {
        start(Map.of());
        JsonNode r = authenticate("{\"username\":\"mallory\",\"password\":\"x\"}");
        assertFalse(r.get("authenticated").asBoolean());
        assertEquals("USER_NOT_FOUND", r.get("reason").asText());
    }

    @Test
    void filterInjectionFindsNothingExtra() throws Exception {
        start(Map.of());
        for (String evil : new String[] {"*", "*)(sAMAccountName=*))(|(sAMAccountName=*", "alice)(|(cn=*", "a*"}) {
            JsonNode r = authenticate("{\"username\":" + com.cloudextender.api.Json.quote(evil) + ",\"password\":\"Alice-Pw-1\"}");
            assertFalse(r.get("authenticated").asBoolean(), evil);
            assertEquals("USER_NOT_FOUND", r.get("reason").asText(), evil);
        }
    }

    @Test
    void decodesTheDomainControllersLockoutSubCode() throws Exception {
        start(Map.of());
        ldap.rejectBind("cn=carol,ou=Lab," + TestDirectory.BASE,
                "80090308: LdapErr: DSID-0C09042A, comment: AcceptSecurityContext error, data 775, v3839");
        JsonNode r = authenticate("{\"username\":\"CORP\\\\carol\",\"password\":\"Carol-Pw-3\"}");
        assertFalse(r.get("authenticated").asBoolean());
        assertEquals("ACCOUNT_LOCKED", r.get("reason").asText());
    }

    @Test
    void anotherDomainFindsNoProfile() throws Exception {
        start(Map.of());
        JsonNode r = authenticate("{\"username\":\"alice\",\"domain\":\"LAB\",\"password\":\"Alice-Pw-1\"}");
        assertEquals("USER_NOT_FOUND", r.get("reason").asText());
    }

    @Test
    void triesProfilesInOrder() throws Exception {
        Map<String, String> extra = new HashMap<>();
        // Profile "lab" sees only ou=Lab and comes first: alice is not there, so "corp" is tried next.
        extra.put("profiles", "lab,corp");
        extra.put("profile.lab.servers", ldap.url());
        extra.put("profile.lab.trustStore", TestDirectory.trustStore().toString());
        extra.put("profile.lab.bindDn", TestDirectory.SERVICE_DN);
        extra.put("profile.lab.bindPassword", TestDirectory.SERVICE_PASSWORD);
        extra.put("profile.lab.baseDn", "ou=Lab," + TestDirectory.BASE);
        start(extra);
        assertEquals("corp", authenticate("{\"username\":\"alice\",\"password\":\"Alice-Pw-1\"}").get("profile").asText());
        assertEquals("lab", authenticate("{\"username\":\"carol\",\"password\":\"Carol-Pw-3\"}").get("profile").asText());
    }

    @Test
    void failsOverToTheNextServer() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        start(Map.of("profile.corp.servers", "ldap://127.0.0.1:" + closed + "," + ldap.url()));
        assertTrue(authenticate("{\"username\":\"alice\",\"password\":\"Alice-Pw-1\"}").get("authenticated").asBoolean());
    }

    private com.cloudextender.api.CommandException refused(String args) {
        return org.junit.jupiter.api.Assertions.assertThrows(com.cloudextender.api.CommandException.class,
                () -> module.actions().get("authenticate")
                        .execute(new Command("c1", "directory", "authenticate", args, Duration.ofSeconds(30))));
    }

    @Test
    void passwordsOfNulsOrBlanksOrWithANulAreRefusedBeforeAnyBind() throws Exception {
        start(Map.of());
        int binds = ldap.binds.get();
        for (String password : new String[] {"\\u0000", "\\u0000\\u0000\\u0000", " ", "\\t \\n", "\\u00a0\\u2003",
                "Alice-Pw-1\\u0000ignored"}) {
            var e = refused("{\"username\":\"alice\",\"password\":\"" + password + "\"}");
            assertEquals(com.cloudextender.api.ErrorCode.INVALID_ARGUMENTS, e.code(), password);
            assertTrue(e.getMessage().startsWith("password: "), e.getMessage());
        }
        assertEquals(binds, ldap.binds.get(), "no bind reached the directory");
        assertTrue(authenticate("{\"username\":\"alice\",\"password\":\" Alice-Pw-1\"}").has("authenticated"),
                "a password with blanks among other characters is checked as usual");
    }

    @Test
    void userNamesWithControlCharactersAreRefused() throws Exception {
        start(Map.of());
        int binds = ldap.binds.get();
        var e = refused("{\"username\":\"alice\\r\\nINFO forged\",\"password\":\"Alice-Pw-1\"}");
        assertEquals(com.cloudextender.api.ErrorCode.INVALID_ARGUMENTS, e.code());
        assertTrue(e.getMessage().startsWith("username: contains the control character U+000D"), e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(com.cloudextender.api.CommandException.class,
                () -> module.actions().get("lookupUser").execute(new Command("c1", "directory", "lookupUser",
                        "{\"username\":\"al\\u0000ice\"}", Duration.ofSeconds(30))));
        assertTrue(e.getMessage().startsWith("username: contains the control character U+0000"), e.getMessage());
        // The example: NUL, then a filter fragment, after a real account's name.
        e = refused("{\"username\":\"alice\\u0000*)(evil\",\"password\":\"Alice-Pw-1\"}");
        assertTrue(e.getMessage().startsWith("username: contains the control character U+0000 at position 5"),
                e.getMessage());
        e = refused("{\"username\":\"alice\",\"domain\":\"CORP\\u0000\",\"password\":\"Alice-Pw-1\"}");
        assertEquals(com.cloudextender.api.ErrorCode.INVALID_ARGUMENTS, e.code());
        assertTrue(e.getMessage().startsWith("domain: contains the control character U+0000"), e.getMessage());
        e = refused("{\"username\":\"CORP\\\\al\\u0007ice\",\"password\":\"Alice-Pw-1\"}");
        assertTrue(e.getMessage().startsWith("username: contains the control character U+0007"), e.getMessage());
        assertEquals(binds, ldap.binds.get());
    }

    @Test
    void thePasswordNeverReachesTheLogs() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        Level before = root.getLevel();
        root.setLevel(Level.TRACE);
        root.addAppender(logs);
        try {
            start(Map.of());
            authenticate("{\"username\":\"alice\",\"password\":\"Alice-Pw-1\",\"attributes\":true}");
            authenticate("{\"username\":\"alice\",\"password\":\"Wrong-Secret-99\"}");
            ldap.rejectBind("cn=bob,ou=Staff," + TestDirectory.BASE, "80090308: LdapErr: DSID-0C09042A, comment: "
                    + "AcceptSecurityContext error, data 533, v3839");
            assertEquals("ACCOUNT_DISABLED", authenticate("{\"username\":\"bob\",\"password\":\"Bob-Pw-2\"}").get("reason").asText());
        } finally {
            root.detachAppender(logs);
            root.setLevel(before);
        }
        assertFalse(logs.list.isEmpty(), "the module logs its decisions");
        for (ILoggingEvent e : logs.list) {
            String text = e.getFormattedMessage() + (e.getThrowableProxy() == null ? "" : e.getThrowableProxy().getMessage());
            for (String secret : new String[] {"Alice-Pw-1", "Wrong-Secret-99", "Bob-Pw-2", TestDirectory.SERVICE_PASSWORD}) {
                assertFalse(text.contains(secret), "a log line shows a password: " + text);
            }
        }
    }
}
