package com.cloudextender.modules.bes;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudextender.api.CommandException;
import com.cloudextender.api.ErrorCode;
import com.cloudextender.modules.bes.testing.BesFixture;
import com.cloudextender.modules.bes.testing.FakeBws;
import com.cloudextender.modules.bes.testing.TestPki;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every action through the module against WireMock emulating the BAS: results read back, failures typed. */
class BesActionsTest {
    static final String PIN = "2A1B3C4D";
    static final String ANN = "ann@corp.example";
    @TempDir
    static Path shared;
    static TestPki pki;
    @TempDir
    Path dir;
    BesFixture f;

    @BeforeAll
    static void keys() throws Exception {
        pki = TestPki.create(shared.resolve("pki"));
    }

    @BeforeEach
    void start() throws Exception {
        f = new BesFixture(pki, dir, Map.of());
        f.bes.user(ANN, PIN);
        f.bes.user("bob@corp.example", "2B2B2B2B");
    }

    @AfterEach
    void stop() {
        f.close();
    }

    static void assertFails(CommandException e, ErrorCode code, String... parts) {
        assertEquals(code, e.code(), e.getMessage());
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), e.getMessage() + " lacks " + p);
        }
    }

    @Test
    void theActionsAreTheDescriptors() throws Exception {
        Properties p = new Properties();
        try (var in = Files.newInputStream(Path.of("src/main/module/module.properties"))) {
            p.load(in);
        }
        assertEquals(p.getProperty("actions"), String.join(",", f.module.actions().keySet()));
    }

    @Test
    void versionComesFromGetSystemInfo() throws Exception {
        JsonNode v = f.ok("version", "{}");
        assertEquals("5.0.4", v.get("bwsVersion").asText());
        assertEquals("6.2.0.366", v.get("basVersion").asText());
    }

    @Test
    void bulkRegistrationReportsEachUserAndReadsTheCreatedOnesBack() throws Exception {
        JsonNode r = f.ok("registerUsers", "{\"emails\":[\"new1@corp.example\",\"ann@corp.example\",\"new2@corp.example\"]}");
        assertEquals(2, r.get("created").asInt());
        assertEquals(1, r.get("failed").asInt());
        JsonNode dup = r.get("results").get(1);
        assertFalse(dup.get("created").asBoolean());
        assertEquals("USER_ALREADY_EXISTS", dup.at("/error/code").asText());
        assertEquals(f.bes.byEmail("new1@corp.example").uid, r.at("/results/0/uid").asText());
        assertFails(f.fails("registerUsers", "{\"emails\":[\"ann@corp.example\"]}"), ErrorCode.MODULE_FAILURE,
                "USER_ALREADY_EXISTS");
        assertFails(f.fails("registerUsers", "{\"emails\":[\"not-an-address\"]}"), ErrorCode.INVALID_ARGUMENTS, "emails");
    }

    @Test
    void registrationThatTheServerDidNotMakeIsNotReportedAsCreated() throws Exception {
        f.bws.ignore.add("createUsers");
        assertFails(f.fails("registerUsers", "{\"emails\":[\"ghost@corp.example\"]}"), ErrorCode.INVALID_ARGUMENTS,
                "NOT_FOUND", "ghost@corp.example");
    }

    @Test
    void refreshDeviceReturnsTheDeviceAsBesReportsItNow() throws Exception {
        f.bes.device(PIN).platformVersion = "7.1.0.999";
        JsonNode d = f.ok("refreshDevice", "{\"email\":\"ann@corp.example\",\"pin\":\"2a1b3c4d\"}").get("device");
        assertEquals(PIN, d.get("id").asText());
        assertEquals("7.1.0.999", d.get("platformVersion").asText());
    }

    @Test
    void unknownUserAndUnknownDeviceAreNotFoundNamingWhatWasMissing() throws Exception {
        assertFails(f.fails("wipe", "{\"email\":\"nobody@corp.example\",\"pin\":\"" + PIN + "\"}"),
                ErrorCode.INVALID_ARGUMENTS, "NOT_FOUND", "nobody@corp.example");
        assertFails(f.fails("wipe", "{\"email\":\"ann@corp.example\",\"pin\":\"2FFFFFFF\"}"),
                ErrorCode.INVALID_ARGUMENTS, "NOT_FOUND", "2FFFFFFF");
        assertFails(f.fails("wipe", "{\"email\":\"ann@corp.example\",\"pin\":\"xyz\"}"), ErrorCode.INVALID_ARGUMENTS, "pin");
        assertFails(f.fails("wipe", "{\"email\":\"ann@corp.example\"}"), ErrorCode.INVALID_ARGUMENTS, "pin");
        assertEquals(0, f.bws.calls("deleteDevicesData"), "nothing was sent for bad input");
    }

    @Test
    void wipeReturnsTheDevicesStateAfterwards() throws Exception {
        JsonNode r = f.ok("wipe", "{\"email\":\"ann@corp.example\",\"pin\":\"" + PIN + "\"}");
        assertTrue(r.get("applied").asBoolean());
        assertEquals("DISABLED", r.at("/device/state").asText());
        assertTrue(f.bes.device(PIN).wiped);
    }

    @Test
    void aWipeTheServerRefusesIsAFailureWithItsDecodedCode() throws Exception {
        f.bws.failNext.put("deleteDevicesData", "DEVICE_COMMAND_FAILED");
        assertFails(f.fails("wipe", "{\"email\":\"ann@corp.example\",\"pin\":\"" + PIN + "\"}"), ErrorCode.MODULE_FAILURE,
                "FAILED", "deleteDevicesData", "DEVICE_COMMAND_FAILED", PIN);
        assertFalse(f.bes.device(PIN).wiped);
    }

    @Test
    void aRedeliveredWipeReturnsTheFirstResultWithoutWipingAgain() throws Exception {
        String args = "{\"email\":\"ann@corp.example\",\"pin\":\"" + PIN + "\"}";
        JsonNode first = f.ok("wipe", args, "cmd-wipe-1");
        JsonNode again = f.ok("wipe", args, "cmd-wipe-1");
        assertEquals(first, again);
        assertEquals(1, f.bws.calls("deleteDevicesData"), "the server was asked once");
        f.ok("wipe", args, "cmd-wipe-2");
        assertEquals(2, f.bws.calls("deleteDevicesData"), "a new command id is a new wipe");
    }

    @Test
    void aFailedChangeIsNotRecordedSoItsRedeliveryRunsAgain() throws Exception {
        String args = "{\"email\":\"ann@corp.example\",\"pin\":\"" + PIN + "\"}";
        f.bws.failNext.put("deleteDevicesData", "DEVICE_COMMAND_FAILED");
        CommandException e = org.junit.jupiter.api.Assertions.assertThrows(CommandException.class,
                () -> f.ok("wipe", args, "cmd-retry"));
        assertFails(e, ErrorCode.MODULE_FAILURE, "DEVICE_COMMAND_FAILED");
        assertFalse(f.bes.device(PIN).wiped);
        assertTrue(f.ok("wipe", args, "cmd-retry").get("applied").asBoolean());
        assertTrue(f.bes.device(PIN).wiped);
    }

    @Test
    void resetPasscodeLocksTheDeviceWithTheNewPassword() throws Exception {
        JsonNode r = f.ok("resetPasscode", "{\"email\":\"ann@corp.example\",\"pin\":\"" + PIN + "\",\"password\":\"1234abcd\"}");
        assertEquals("LOCKED", r.at("/device/state").asText());
        assertEquals("1234abcd", f.bes.device(PIN).lockedWithPassword);
        assertFails(f.fails("resetPasscode", "{\"email\":\"ann@corp.example\",\"pin\":\"" + PIN + "\",\"password\":\"1\"}"),
                ErrorCode.INVALID_ARGUMENTS, "password");
        assertFalse(r.toString().contains("1234abcd"), "the password is not echoed");
    }

    @Test
    void resendPolicyReturnsTheDevice() throws Exception {
        JsonNode r = f.ok("resendPolicy", "{\"email\":\"ann@corp.example\",\"pin\":\"" + PIN + "\"}");
        assertEquals("2026-12-05T12:00:00Z", r.at("/device/lastContactTime").asText());
    }

    @Test
    void changePolicyIsReadBackAndAnUnknownPolicyIsNotFound() throws Exception {
        JsonNode r = f.ok("changePolicy", "{\"email\":\"ann@corp.example\",\"policy\":\"Strict\"}");
        assertEquals("Strict", r.get("itPolicy").asText());
        assertEquals("Strict", f.bes.byEmail(ANN).directPolicy);
        assertFails(f.fails("changePolicy", "{\"email\":\"ann@corp.example\",\"policy\":\"Lax\"}"),
                ErrorCode.INVALID_ARGUMENTS, "NOT_FOUND", "'Lax'");
    }

    @Test
    void aPolicyChangeTheServerAcceptsButDoesNotMakeIsNotApplied() throws Exception {
        f.bws.ignore.add("setUsersITPolicy");
        assertFails(f.fails("changePolicy", "{\"email\":\"ann@corp.example\",\"policy\":\"Strict\"}"),
                ErrorCode.MODULE_FAILURE, "NOT_APPLIED");
    }

    @Test
    void removeUserIsReadBackAsGone() throws Exception {
        JsonNode r = f.ok("removeUser", "{\"email\":\"bob@corp.example\"}");
        assertTrue(r.get("removed").asBoolean());
        assertNull(f.bes.byEmail("bob@corp.example"));
        f.bws.ignore.add("deleteUsers");
        assertFails(f.fails("removeUser", "{\"email\":\"ann@corp.example\"}"), ErrorCode.MODULE_FAILURE, "NOT_APPLIED");
    }

    @Test
    void sendMessageReportsEachUser() throws Exception {
        JsonNode r = f.ok("sendMessage", "{\"emails\":[\"ann@corp.example\",\"bob@corp.example\"],\"subject\":\"Hi\","
                + "\"body\":\"Update tonight\"}");
        assertEquals(2, r.get("sent").asInt());
        assertEquals("Hi: Update tonight", f.bes.byEmail(ANN).messages.get(0));
        f.bws.failNext.put("sendMessage", "MESSAGE_NOT_DELIVERED");
        r = f.ok("sendMessage", "{\"emails\":[\"ann@corp.example\",\"bob@corp.example\"],\"body\":\"x\"}");
        assertEquals(1, r.get("sent").asInt());
        assertEquals("MESSAGE_NOT_DELIVERED", r.at("/results/0/error/code").asText());
        assertFails(f.fails("sendMessage", "{\"emails\":[\"ann@corp.example\"]}"), ErrorCode.INVALID_ARGUMENTS, "body");
    }

    @Test
    void activationPasswordIsSetWithItsExpiry() throws Exception {
        JsonNode r = f.ok("activationPassword", "{\"email\":\"ann@corp.example\",\"password\":\"enrol-123\",\"expiryHours\":24}");
        assertTrue(r.get("applied").asBoolean());
        assertEquals("24h", r.get("activationPasswordExpiry").asText());
        assertEquals("enrol-123", f.bes.byEmail(ANN).activationPassword);
        assertFalse(r.toString().contains("enrol-123"));
        assertFails(f.fails("activationPassword", "{\"email\":\"ann@corp.example\",\"password\":\"enrol-123\","
                + "\"expiryHours\":9999}"), ErrorCode.INVALID_ARGUMENTS, "expiryHours");
    }

    @Test
    void policiesAreListedAndUploaded() throws Exception {
        JsonNode r = f.ok("listPolicies", "{\"upload\":true}");
        assertEquals(2, r.get("count").asInt());
        assertEquals("Strict", r.at("/policies/1/name").asText());
        assertEquals(1, r.get("chunks").size());
        assertTrue(f.context.uploads.stored.size() == 1);
    }

    @Test
    void anHtmlErrorPageDuringAnActionIsATypedFailure() throws Exception {
        f.bws.server.stubFor(post(urlPathEqualTo(FakeBws.BWS_PATH)).atPriority(1)
                .withRequestBody(containing("deleteDevicesData"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/html")
                        .withBody("<html><body>Error 500: java.lang.NullPointerException</body></html>")));
        assertFails(f.fails("wipe", "{\"email\":\"ann@corp.example\",\"pin\":\"" + PIN + "\"}"), ErrorCode.MODULE_FAILURE,
                "NOT_SOAP", "deleteDevicesData");
    }

    @Test
    void wrongJsonTypesNameTheField() throws Exception {
        assertFails(f.fails("wipe", "{\"email\":5,\"pin\":\"" + PIN + "\"}"), ErrorCode.INVALID_ARGUMENTS, "email");
        assertFails(f.fails("sendMessage", "{\"emails\":\"ann@corp.example\",\"body\":\"x\"}"), ErrorCode.INVALID_ARGUMENTS,
                "emails");
    }
}
