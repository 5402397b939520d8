package com.cloudextender.modules.exchange.online;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudextender.api.CommandException;
import com.cloudextender.api.ErrorCode;
import com.cloudextender.modules.exchange.testing.OnlineFixture;
import com.cloudextender.modules.exchange.testing.TestPki;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every action of the module against WireMock emulating the Exchange Online admin API. */
class ExchangeOnlineActionsTest {
    @TempDir
    static Path shared;
    static TestPki pki;
    @TempDir
    Path dir;
    OnlineFixture f;

    @BeforeAll
    static void keys() throws Exception {
        pki = TestPki.create(shared.resolve("pki"));
    }

    @BeforeEach
    void up() throws Exception {
        f = new OnlineFixture(pki, dir, Map.of());
        f.exchange.device("alice", "ApplF17XQ0ABC", "iPhone");
        f.exchange.device("bob", "AndroidC0FFEE01", "Android");
        f.exchange.device("carol", "SHARED01", "iPad");
        f.exchange.device("dave", "SHARED01", "iPad");
        f.exchange.mailbox("erin");
    }

    @AfterEach
    void down() {
        f.close();
    }

    @Test
    void blockThenAllowReturnTheServersStateAfterTheChange() throws Exception {
        JsonNode blocked = f.commands.ok("block", "{\"deviceId\":\"ApplF17XQ0ABC\"}");
        assertTrue(blocked.get("applied").asBoolean());
        assertEquals("Blocked", blocked.at("/device/accessState").asText());
        assertEquals("Individual", blocked.at("/device/accessStateReason").asText());
        assertEquals("[\"ApplF17XQ0ABC\"]", blocked.at("/mailbox/blockedDeviceIds").toString());
        assertEquals("Exchange Online", blocked.get("server").asText());
        assertEquals("Blocked", f.exchange.devices.values().stream()
                .filter(d -> d.get("DeviceId").asText().equals("ApplF17XQ0ABC")).findFirst().orElseThrow()
                .get("DeviceAccessState").asText());

        JsonNode allowed = f.commands.ok("allow", "{\"deviceId\":\"ApplF17XQ0ABC\",\"mailbox\":\"alice@contoso.example\"}");
        assertEquals("Allowed", allowed.at("/device/accessState").asText());
        assertEquals("[]", allowed.at("/mailbox/blockedDeviceIds").toString());
        assertEquals("[\"ApplF17XQ0ABC\"]", allowed.at("/mailbox/allowedDeviceIds").toString());
    }

    @Test
    void aChangeTheServerDidNotMakeIsAFailureNotASuccess() throws Exception {
        f.exchange.ignoreChanges = true;
        CommandException e = f.commands.fails("block", "{\"deviceId\":\"ApplF17XQ0ABC\"}");
        assertEquals(ErrorCode.MODULE_FAILURE, e.code());
        assertTrue(e.getMessage().startsWith("NOT_APPLIED"), e.getMessage());
        CommandException w = f.commands.fails("wipe", "{\"deviceId\":\"ApplF17XQ0ABC\"}");
        assertTrue(w.getMessage().startsWith("NOT_APPLIED"), w.getMessage());
        CommandException r = f.commands.fails("remove", "{\"deviceId\":\"ApplF17XQ0ABC\"}");
        assertTrue(r.getMessage().startsWith("NOT_APPLIED"), r.getMessage());
        CommandException l = f.commands.fails("defaultAccessLevel", "{\"level\":\"Block\"}");
        assertTrue(l.getMessage().startsWith("NOT_APPLIED"), l.getMessage());
    }

    @Test
    void badInputGetsATypedErrorNamingWhatWasWrong() throws Exception {
        CommandException unknown = f.commands.fails("block", "{\"deviceId\":\"NoSuchDevice1\"}");
        assertEquals(ErrorCode.INVALID_ARGUMENTS, unknown.code());
        assertTrue(unknown.getMessage().startsWith("UNKNOWN_DEVICE") && unknown.getMessage().contains("NoSuchDevice1"),
                unknown.getMessage());

        CommandException box = f.commands.fails("allow", "{\"deviceId\":\"ApplF17XQ0ABC\",\"mailbox\":\"nobody@contoso.example\"}");
        assertTrue(box.getMessage().startsWith("UNKNOWN_MAILBOX") && box.getMessage().contains("nobody@contoso.example"),
                box.getMessage());

        CommandException ambiguous = f.commands.fails("wipe", "{\"deviceId\":\"SHARED01\"}");
        assertTrue(ambiguous.getMessage().startsWith("AMBIGUOUS_DEVICE") && ambiguous.getMessage().contains("carol")
                && ambiguous.getMessage().contains("dave"), ambiguous.getMessage());
        // Naming the mailbox settles it.
        assertTrue(f.commands.ok("wipe", "{\"deviceId\":\"SHARED01\",\"mailbox\":\"dave\"}").get("wipePending").asBoolean());

        CommandException type = f.commands.fails("wipe", "{\"deviceId\":\"ApplF17XQ0ABC\",\"accountOnly\":\"yes\"}");
        assertEquals(ErrorCode.INVALID_ARGUMENTS, type.code());
        assertTrue(type.getMessage().contains("accountOnly"), type.getMessage());
        CommandException number = f.commands.fails("block", "{\"deviceId\":42}");
        assertTrue(number.getMessage().contains("deviceId"), number.getMessage());

        CommandException hostile = f.commands.fails("block", "{\"deviceId\":\"x' -or DeviceId -like '*\"}");
        assertTrue(hostile.getMessage().startsWith("INVALID_PARAMETER"), hostile.getMessage());
        assertTrue(f.exchange.journal.stream().noneMatch(j -> j.contains("-like")), "the filter never reached the server");

        CommandException level = f.commands.fails("defaultAccessLevel", "{\"level\":\"Sometimes\"}");
        assertTrue(level.getMessage().contains("Allow, Block, Quarantine"), level.getMessage());
        CommandException policy = f.commands.fails("assignPolicy", "{\"mailbox\":\"alice\",\"policy\":\"Nope\"}");
        assertTrue(policy.getMessage().startsWith("NOT_FOUND") && policy.getMessage().contains("Nope"), policy.getMessage());
    }

    @Test
    void wipeAccountOnlyAndCancelAreReadBackAndARedeliveredCommandIsNotSentTwice() throws Exception {
        JsonNode w = f.commands.ok("wipe", "{\"deviceId\":\"AndroidC0FFEE01\",\"accountOnly\":true}", "cmd-1");
        assertTrue(w.get("wipePending").asBoolean());
        assertEquals("AccountOnlyDeviceWipePending", w.at("/device/statistics/status").asText());
        JsonNode again = f.commands.ok("wipe", "{\"deviceId\":\"AndroidC0FFEE01\",\"accountOnly\":true}", "cmd-1");
        assertEquals(w, again);
        assertEquals(1, f.exchange.journal.stream().filter(j -> j.startsWith("Clear-MobileDevice")).count());

        JsonNode cancel = f.commands.ok("wipe", "{\"deviceId\":\"AndroidC0FFEE01\",\"cancel\":true}");
        assertFalse(cancel.get("wipePending").asBoolean());
        assertEquals("DeviceOk", cancel.at("/device/statistics/status").asText());
        CommandException both = f.commands.fails("wipe", "{\"deviceId\":\"AndroidC0FFEE01\",\"cancel\":true,\"accountOnly\":true}");
        assertTrue(both.getMessage().contains("choose one"), both.getMessage());
    }

    @Test
    void removeQuarantineAndStatistics() throws Exception {
        CommandException notQuarantining = f.commands.fails("quarantine", "{\"operation\":\"send\",\"deviceId\":\"ApplF17XQ0ABC\"}");
        assertTrue(notQuarantining.getMessage().startsWith("UNSUPPORTED") && notQuarantining.getMessage().contains("Allow"),
                notQuarantining.getMessage());
        assertEquals("Quarantine", f.commands.ok("defaultAccessLevel", "{\"level\":\"quarantine\"}").get("defaultAccessLevel").asText());
        f.commands.ok("block", "{\"deviceId\":\"ApplF17XQ0ABC\"}");
        JsonNode sent = f.commands.ok("quarantine", "{\"operation\":\"send\",\"deviceId\":\"ApplF17XQ0ABC\"}");
        assertEquals("Quarantined", sent.at("/device/accessState").asText());
        JsonNode released = f.commands.ok("quarantine", "{\"operation\":\"release\",\"deviceId\":\"ApplF17XQ0ABC\"}");
        assertEquals("Allowed", released.at("/device/accessState").asText());

        JsonNode stats = f.commands.ok("deviceStatistics", "{\"deviceId\":\"ApplF17XQ0ABC\"}");
        assertEquals("AppliedInFull", stats.at("/statistics/DevicePolicyApplicationStatus").asText());
        assertEquals("alice@contoso.example", stats.at("/device/mailbox/userPrincipalName").asText());

        JsonNode removed = f.commands.ok("remove", "{\"deviceId\":\"ApplF17XQ0ABC\"}");
        assertTrue(removed.get("removed").asBoolean());
        assertTrue(f.exchange.devices.keySet().stream().noneMatch(k -> k.contains("ApplF17XQ0ABC")));
        assertTrue(f.commands.fails("remove", "{\"deviceId\":\"ApplF17XQ0ABC\"}").getMessage().startsWith("UNKNOWN_DEVICE"));
    }

    @Test
    void policiesAssignmentDefaultAccessLevelAndRules() throws Exception {
        JsonNode policies = f.commands.ok("listPolicies", "{\"upload\":true}");
        assertEquals(2, policies.get("count").asInt());
        assertEquals(1, policies.get("chunks").size());
        assertTrue(f.context.uploads.stored.get(0).getFileName().toString().contains("exchange-policies"));

        JsonNode assigned = f.commands.ok("assignPolicy", "{\"mailbox\":\"alice\",\"policy\":\"Strict\"}");
        assertEquals("Strict", assigned.get("activeSyncMailboxPolicy").asText());
        assertTrue(f.commands.fails("assignPolicy", "{\"mailbox\":\"zed\",\"policy\":\"Strict\"}").getMessage()
                .startsWith("UNKNOWN_MAILBOX"));

        assertEquals("Allow", f.commands.ok("defaultAccessLevel", "{}").get("defaultAccessLevel").asText());
        assertEquals("Block", f.commands.ok("defaultAccessLevel", "{\"level\":\"Block\"}").get("defaultAccessLevel").asText());

        JsonNode rule = f.commands.ok("accessRules", "{\"operation\":\"add\",\"characteristic\":\"DeviceModel\","
                + "\"queryString\":\"iPhone 15\",\"accessLevel\":\"Quarantine\"}");
        assertEquals("iPhone 15 (DeviceModel)", rule.at("/rule/name").asText());
        // The same rule again (a retry with a new id) is the same rule, not a second one.
        f.commands.ok("accessRules", "{\"operation\":\"add\",\"characteristic\":\"devicemodel\","
                + "\"queryString\":\"iPhone 15\",\"accessLevel\":\"quarantine\"}");
        assertEquals(1, f.exchange.rules.size());
        CommandException conflict = f.commands.fails("accessRules", "{\"operation\":\"add\",\"characteristic\":\"DeviceModel\","
                + "\"queryString\":\"iPhone 15\",\"accessLevel\":\"Block\"}");
        assertTrue(conflict.getMessage().contains("already exists"), conflict.getMessage());
        assertEquals(1, f.commands.ok("accessRules", "{}").get("rules").size());
        f.commands.ok("accessRules", "{\"operation\":\"remove\",\"name\":\"iPhone 15 (DeviceModel)\"}");
        assertEquals(0, f.exchange.rules.size());
        assertTrue(f.commands.fails("accessRules", "{\"operation\":\"remove\",\"name\":\"iPhone 15 (DeviceModel)\"}")
                .getMessage().startsWith("NOT_FOUND"));
        assertTrue(f.commands.fails("accessRules", "{\"operation\":\"rename\"}").getMessage().contains("list, add or remove"));
    }

    @Test
    void diagnoseReportsEachCheck() throws Exception {
        JsonNode d = f.commands.ok("diagnose", "{}");
        assertTrue(d.get("ok").asBoolean(), d.toString());
        assertEquals("online", d.get("backend").asText());
        assertEquals("Exchange Online", d.at("/checks/2/detail").asText());
        assertEquals("roles", d.at("/checks/3/name").asText());
        assertTrue(d.has("throttling"));
    }
}
