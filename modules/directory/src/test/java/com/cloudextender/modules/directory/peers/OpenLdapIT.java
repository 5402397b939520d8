package com.cloudextender.modules.directory.peers;

import com.cloudextender.modules.directory.testing.TestContexts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudextender.api.Command;
import com.cloudextender.api.CommandException;
import com.cloudextender.modules.directory.DirectoryModule;
import com.cloudextender.modules.support.Json;
import com.cloudextender.modules.testkit.FakeModuleContext;
import com.cloudextender.modules.directory.testing.PeerScript;
import com.cloudextender.modules.directory.testing.UploadedRecords;
import com.fasterxml.jackson.databind.JsonNode;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.extensions.PasswordModifyExtendedRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The directory module against a real OpenLDAP slapd with the syncprov overlay, started on a free
 * loopback port by {@code scripts/peers/openldap}: RFC 4533 content sync (full, then exactly the
 * changes, deletions included) and authentication.
 */
class OpenLdapIT {
    private static final String SUFFIX = "dc=example,dc=test";
    private static final String PEOPLE = "ou=People," + SUFFIX;
    private static final String LAB = "ou=Lab," + SUFFIX;
    private static final String ADMIN_PASSWORD = "Admin-It-7";
    private static final String READER_PASSWORD = "Reader-It-7";
    private static final int USERS = 1000;

    @TempDir
    static Path serverDir;
    private static PeerScript slapd;
    private static int port;

    @TempDir
    Path dir;
    private DirectoryModule module;
    private FakeModuleContext context;
    private UploadedRecords uploaded;

    @BeforeAll
    static void startSlapd() throws Exception {
        slapd = PeerScript.named("openldap", Map.of("SLAPD_SUFFIX", SUFFIX, "SLAPD_ADMIN_PASSWORD", ADMIN_PASSWORD,
                "SLAPD_READER_PASSWORD", READER_PASSWORD));
        slapd.run(Duration.ofMinutes(10), "install");
        Path ldif = serverDir.resolve("users.ldif");
        Files.writeString(ldif, usersLdif());
        port = PeerScript.freePort();
        slapd.run(Duration.ofSeconds(60), "start", serverDir.resolve("slapd").toString(), Integer.toString(port),
                ldif.toString());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> PeerScript.killByPidFile(pidFile()), "stop-slapd"));
    }

    @AfterAll
    static void stopSlapd() throws Exception {
        if (slapd != null) {
            try {
                slapd.run(Duration.ofSeconds(30), "stop", serverDir.resolve("slapd").toString());
            } finally {
                PeerScript.killByPidFile(pidFile());
            }
        }
    }

    private static Path pidFile() {
        return serverDir.resolve("slapd/slapd.pid");
    }

    private static String usersLdif() {
        StringBuilder s = new StringBuilder();
        s.append("dn: ").append(LAB).append("\nobjectClass: organizationalUnit\nou: Lab\n\n");
        for (int i = 0; i < USERS; i++) {
            String uid = user(i);
            s.append("dn: uid=").append(uid).append(',').append(PEOPLE).append('\n')
                    .append("objectClass: inetOrgPerson\nuid: ").append(uid).append("\ncn: User ").append(i)
                    .append("\nsn: ").append(i).append("\nmail: ").append(uid).append("@example.test\n\n");
        }
        s.append("dn: cn=staff,ou=Groups,").append(SUFFIX).append("\nobjectClass: groupOfNames\ncn: staff\n");
        for (int i = 0; i < 5; i++) {
            s.append("member: uid=").append(user(i)).append(',').append(PEOPLE).append('\n');
        }
        return s.append('\n').toString();
    }

    private static String user(int i) {
        return String.format("user%04d", i);
    }

    private static String userDn(int i) {
        return "uid=" + user(i) + "," + PEOPLE;
    }

    private static LDAPConnection admin() throws Exception {
        return new LDAPConnection("127.0.0.1", port, "cn=admin," + SUFFIX, ADMIN_PASSWORD);
    }

    @BeforeEach
    void startModule() throws Exception {
        context = TestContexts.create(withConfig("sync.deleteThreshold", "500"), Set.of("profile.corp.bindPassword"), dir);
        module = new DirectoryModule();
        module.start(context);
        uploaded = new UploadedRecords(context);
    }

    private static Map<String, String> withConfig(String key, String value) {
        Map<String, String> c = new HashMap<>();
        c.put("profiles", "corp");
        c.put("profile.corp.type", "openLdap");
        c.put("profile.corp.servers", "ldap://127.0.0.1:" + port);
        // scripts/peers/openldap sets up slapd without TLS (no certificate) on 127.0.0.1 only: plain LDAP, explicitly.
        c.put("profile.corp.allowPlaintext", "true");
        c.put("profile.corp.bindDn", "cn=reader," + SUFFIX);
        c.put("profile.corp.bindPassword", READER_PASSWORD);
        c.put("profile.corp.baseDn", SUFFIX);
        c.put("sync.profiles", "corp");
        c.put("sync.interval", "0s");
        c.put(key, value);
        return c;
    }

    @AfterEach
    void stopModule() {
        module.stop();
    }

    private JsonNode run(String action, String args) throws Exception {
        var r = module.actions().get(action).execute(new Command("c", "directory", action, args, Duration.ofMinutes(2)));
        return Json.MAPPER.readTree(r.payload());
    }

    @Test
    void contentSyncSendsEverythingOnceThenExactlyTheChanges() throws Exception {
        JsonNode first = run("sync", "{}").path("profiles").path(0);
        assertEquals("contentSync", first.get("method").asText(), first.toString());
        List<JsonNode> snapshot = uploaded.next();
        // ou=People, ou=Groups, ou=Lab, the users (fewer if another test deleted some) and the group.
        assertEquals(entriesInScope(), snapshot.stream().filter(n -> n.get("op").asText().equals("upsert")).count());
        assertEquals(5, snapshot.stream().filter(n -> n.get("op").asText().equals("members"))
                .mapToInt(n -> n.get("members").size()).sum());
        Map<String, String> idByDn = snapshot.stream().filter(n -> n.has("dn"))
                .collect(Collectors.toMap(n -> n.get("dn").asText().toLowerCase(), n -> n.get("id").asText()));

        JsonNode quiet = run("sync", "{}").path("profiles").path(0);
        assertEquals(0, quiet.get("entries").asInt(), "nothing changed, nothing read: " + quiet);
        assertEquals(List.of(), uploaded.next());

        List<String> modified = new ArrayList<>();
        try (LDAPConnection a = admin()) {
            for (int i = 10; i < 20; i++) {
                a.modify(userDn(i), new Modification(ModificationType.REPLACE, "mail", user(i) + "@new.example.test"));
                modified.add(idByDn.get(userDn(i).toLowerCase()));
            }
            a.delete(userDn(20));
            a.delete(userDn(21));
            a.modifyDN(userDn(22), "uid=" + user(22), true, LAB);
            for (int i = USERS; i < USERS + 3; i++) {
                a.add("dn: " + userDn(i), "objectClass: inetOrgPerson", "uid: " + user(i), "cn: New " + i, "sn: " + i);
            }
        }
        JsonNode delta = run("sync", "{}").path("profiles").path(0);
        List<JsonNode> changes = uploaded.next();
        assertEquals("contentSync", delta.get("method").asText());
        assertEquals(14, delta.get("entries").asInt(), "only the changed entries are read: " + delta);
        assertEquals(16, changes.size(), changes.toString());
        assertEquals(Set.copyOf(modified), ids(changes, "modify"));
        assertEquals(Set.of(idByDn.get(userDn(22).toLowerCase())), ids(changes, "move"));
        assertEquals(Set.of(idByDn.get(userDn(20).toLowerCase()), idByDn.get(userDn(21).toLowerCase())),
                changes.stream().filter(n -> n.get("op").asText().equals("delete")).map(n -> n.get("id").asText())
                        .collect(Collectors.toSet()));
        assertEquals(3, ids(changes, "add").size());
        assertTrue(changes.stream().filter(n -> "move".equals(n.path("change").asText()))
                .allMatch(n -> n.get("dn").asText().equalsIgnoreCase("uid=" + user(22) + "," + LAB)));

        JsonNode after = run("sync", "{}").path("profiles").path(0);
        assertEquals(0, after.get("entries").asInt(), "the cookie advanced with the baseline: " + after);
        assertEquals(List.of(), uploaded.next());
    }

    @Test
    void aFailedUploadLeavesTheCookieSoTheSameChangesAreSentAgain() throws Exception {
        run("sync", "{}");
        uploaded.next();
        try (LDAPConnection a = admin()) {
            a.modify(userDn(30), new Modification(ModificationType.REPLACE, "mail", "thirty@new.example.test"));
        }
        context.uploads.failUpload(1);
        CommandException refused = assertThrows(CommandException.class, () -> run("sync", "{}"));
        assertTrue(refused.getMessage().contains("send the same changes"), refused.getMessage());
        JsonNode retry = run("sync", "{}").path("profiles").path(0);
        assertEquals(1, retry.get("modified").asInt(), retry.toString());
        assertEquals("thirty@new.example.test", uploaded.next().get(0).get("attributes").get("mail").asText());
    }

    @Test
    void heldDeletionsAreReadAgainUntilAllowed() throws Exception {
        module.stop();
        context = TestContexts.create(withConfig("sync.deleteThreshold", "1"), Set.of("profile.corp.bindPassword"),
                dir.resolve("held"));
        module = new DirectoryModule();
        module.start(context);
        uploaded = new UploadedRecords(context);
        run("sync", "{}");
        uploaded.next();
        try (LDAPConnection a = admin()) {
            a.delete(userDn(40));
            a.delete(userDn(41));
        }
        JsonNode held = run("sync", "{}").path("profiles").path(0);
        assertEquals(2, held.get("heldDeletes").asInt(), held.toString());
        assertEquals(List.of(), uploaded.next());
        JsonNode again = run("sync", "{}").path("profiles").path(0);
        assertEquals(2, again.get("heldDeletes").asInt(), "the cookie stayed before the deletions: " + again);
        JsonNode allowed = run("allowDeletes", "{}").path("profiles").path(0);
        assertEquals(2, allowed.get("deleted").asInt(), allowed.toString());
        assertEquals(2, uploaded.next().stream().filter(n -> n.get("op").asText().equals("delete")).count());
        assertEquals(0, run("sync", "{}").path("profiles").path(0).get("deleted").asInt());
    }

    @Test
    void fullResyncReadsEverythingAgainWithoutTheCookie() throws Exception {
        run("sync", "{}");
        uploaded.next();
        JsonNode full = run("resync", "{}").path("profiles").path(0);
        assertEquals("full", full.get("mode").asText());
        assertTrue(full.get("entries").asInt() >= USERS, full.toString());
        assertEquals(0, full.get("deleted").asInt(), full.toString());
    }

    @Test
    void authenticatesWithTheDirectorysPasswordCheck() throws Exception {
        try (LDAPConnection a = admin()) {
            // The password modify operation makes slapd store a salted hash, never the text.
            a.processExtendedOperation(new PasswordModifyExtendedRequest(userDn(1), null, "Good-Pw-42"));
        }
        JsonNode ok = run("authenticate", "{\"username\":\"" + user(1) + "\",\"password\":\"Good-Pw-42\"}");
        assertTrue(ok.get("authenticated").asBoolean(), ok.toString());
        assertEquals(userDn(1), ok.get("dn").asText());
        JsonNode bad = run("authenticate", "{\"username\":\"" + user(1) + "\",\"password\":\"Wrong-Pw-42\"}");
        assertEquals(false, bad.get("authenticated").asBoolean(), bad.toString());
        assertEquals("INVALID_CREDENTIALS", bad.get("reason").asText());
        JsonNode nobody = run("authenticate", "{\"username\":\"nobody\",\"password\":\"Good-Pw-42\"}");
        assertEquals("USER_NOT_FOUND", nobody.get("reason").asText());
    }

    private static long entriesInScope() throws Exception {
        try (LDAPConnection a = admin()) {
            return a.search(SUFFIX, SearchScope.SUB, "(|(objectClass=organizationalUnit)(objectClass=inetOrgPerson)"
                    + "(objectClass=groupOfNames))", "1.1").getEntryCount();
        }
    }

    private static Set<String> ids(List<JsonNode> records, String change) {
        return records.stream().filter(n -> change.equals(n.path("change").asText())).map(n -> n.get("id").asText())
                .collect(Collectors.toSet());
    }

}
