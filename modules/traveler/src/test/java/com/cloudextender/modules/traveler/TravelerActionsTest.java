package com.cloudextender.modules.traveler;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudextender.api.CommandException;
import com.cloudextender.api.ErrorCode;
import com.cloudextender.modules.traveler.testing.InMemoryTraveler;
import com.cloudextender.modules.traveler.testing.TestTls;
import com.cloudextender.modules.traveler.testing.TravelerFixture;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every action through the module against the emulated Traveler server over verified HTTPS. */
class TravelerActionsTest {
    static final String ANN = "CN=Ann Lee/O=Acme";
    static final String BOB = "CN=Bob Roe/OU=Sales/O=Acme";

    @TempDir
    static Path shared;
    static TestTls tls;
    @TempDir
    Path dir;
    TravelerFixture f;

    @BeforeAll
    static void tls() throws Exception {
        tls = TestTls.create(shared);
    }

    @BeforeEach
    void start() throws Exception {
        f = new TravelerFixture(dir, tls, Map.of());
        InMemoryTraveler.Reg pending = f.traveler.add(ANN, "Apple_C39XK2", "Apple iPhone", "iOS 17.1");
        pending.approval = "Pending";
        f.traveler.add(ANN, "androidc1234", "Android", "Android 14").wipeSupported = List.of("Application");
        f.traveler.add(BOB, "Apple_B0B", "Apple iPad", "iPadOS 17.1");
        f.traveler.add(BOB, "SHARED01", "Apple iPhone", "iOS 16");
        f.traveler.add(ANN, "SHARED01", "Apple iPhone", "iOS 16");
        f.traveler.add(BOB, "OUTLOOK1", "Windows", "Windows 11").wipeSupported = List.of();
    }

    @AfterEach
    void stop() {
        f.close();
    }

    @Test
    void approveReturnsTheApprovedStateReadBack() throws Exception {
        JsonNode r = f.run("approve", "{\"deviceId\":\"Apple_C39XK2\"}");
        assertEquals("approve", r.get("action").asText());
        assertTrue(r.get("applied").asBoolean());
        assertEquals("Approved", r.at("/device/approval").asText());
        assertEquals(ANN, r.at("/device/user").asText());
        assertEquals(f.fake.baseUrl(), r.get("server").asText());
        assertEquals("Approved", f.traveler.get(ANN, "Apple_C39XK2").approval);
    }

    @Test
    void denyBlocksTheDeviceAndClearWipeAllowsItAgain() throws Exception {
        JsonNode denied = f.run("deny", "{\"deviceId\":\"Apple_B0B\",\"user\":\"" + BOB + "\"}");
        assertEquals("Deny", denied.at("/device/access").asText());
        assertEquals("Deny", f.traveler.get(BOB, "Apple_B0B").access);
        JsonNode cleared = f.run("clearWipe", "{\"deviceId\":\"Apple_B0B\"}");
        assertEquals("clearWipe", cleared.get("action").asText());
        assertEquals("Allow", cleared.at("/device/access").asText());
        assertEquals("Allow", f.traveler.get(BOB, "Apple_B0B").access);
    }

    @Test
    void wipeSendsTheChosenOptionsAndClearWipeCancelsIt() throws Exception {
        JsonNode r = f.run("wipe", "{\"deviceId\":\"Apple_C39XK2\",\"options\":[\"application\",\"storageCard\"]}");
        assertEquals("Pending", r.at("/device/wipeStatus").asText());
        assertEquals("[\"Application\",\"StorageCard\"]", r.at("/device/wipeOptions").toString());
        assertEquals(List.of("Application", "StorageCard"), f.traveler.get(ANN, "Apple_C39XK2").wipeOptions);
        f.fake.server.verify(postRequestedFor(urlPathEqualTo("/api/traveler/security"))
                .withRequestBody(equalTo("{\"userName\":\"" + ANN + "\",\"deviceId\":\"Apple_C39XK2\",\"action\":\"wipe\","
                        + "\"wipeOptions\":[\"Application\",\"StorageCard\"]}")));
        JsonNode cleared = f.run("clearWipe", "{\"deviceId\":\"Apple_C39XK2\"}");
        assertEquals("None", cleared.at("/device/wipeStatus").asText());
        assertEquals("None", f.traveler.get(ANN, "Apple_C39XK2").wipeStatus);
    }

    @Test
    void wipeOptionsTheDeviceDoesNotSupportAreRefusedBeforeAnythingIsSent() {
        CommandException e = f.fail("wipe", "{\"deviceId\":\"androidc1234\",\"options\":[\"hardReset\"]}");
        assertEquals(ErrorCode.INVALID_ARGUMENTS, e.code());
        assertTrue(e.getMessage().startsWith("UNSUPPORTED: device androidc1234 of " + ANN), e.getMessage());
        assertTrue(e.getMessage().contains("supports application"), e.getMessage());
        CommandException none = f.fail("wipe", "{\"deviceId\":\"OUTLOOK1\",\"options\":[\"application\"]}");
        assertTrue(none.getMessage().contains("it supports none"), none.getMessage());
        CommandException bad = f.fail("wipe", "{\"deviceId\":\"androidc1234\",\"options\":[\"everything\"]}");
        assertEquals(ErrorCode.INVALID_ARGUMENTS, bad.code());
        assertTrue(bad.getMessage().contains("'everything' is not a wipe option"), bad.getMessage());
        CommandException empty = f.fail("wipe", "{\"deviceId\":\"androidc1234\"}");
        assertTrue(empty.getMessage().startsWith("INVALID_PARAMETER: options"), empty.getMessage());
        f.fake.server.verify(0, postRequestedFor(urlPathEqualTo("/api/traveler/security")));
        assertEquals("None", f.traveler.get(ANN, "androidc1234").wipeStatus);
    }

    @Test
    void removeDeletesTheRegistrationAndReadsBackThatItIsGone() throws Exception {
        JsonNode r = f.run("remove", "{\"deviceId\":\"Apple_B0B\"}");
        assertTrue(r.get("removed").asBoolean());
        assertEquals(null, f.traveler.get(BOB, "Apple_B0B"));
        CommandException again = f.fail("device", "{\"deviceId\":\"Apple_B0B\"}");
        assertTrue(again.getMessage().startsWith("UNKNOWN_DEVICE: no device with id Apple_B0B"), again.getMessage());
    }

    @Test
    void aRedeliveredChangeReturnsItsFirstResultWithoutActingAgain() throws Exception {
        JsonNode removed = f.runAs("cmd-1", "remove", "{\"deviceId\":\"Apple_B0B\"}");
        JsonNode again = f.runAs("cmd-1", "remove", "{\"deviceId\":\"Apple_B0B\"}");
        assertEquals(removed, again, "the first result, not UNKNOWN_DEVICE");
        f.fake.server.verify(1, deleteRequestedFor(urlPathEqualTo("/api/traveler/devices")));
        f.runAs("cmd-2", "wipe", "{\"deviceId\":\"Apple_C39XK2\",\"options\":[\"hardReset\"]}");
        f.traveler.get(ANN, "Apple_C39XK2").wipeStatus = "Complete";
        JsonNode wipeAgain = f.runAs("cmd-2", "wipe", "{\"deviceId\":\"Apple_C39XK2\",\"options\":[\"hardReset\"]}");
        assertEquals("Pending", wipeAgain.at("/device/wipeStatus").asText());
        f.fake.server.verify(1, postRequestedFor(urlPathEqualTo("/api/traveler/security")));
        // A failed change is not recorded: its redelivery runs again.
        f.fail("approve", "{\"deviceId\":\"NOPE1\"}");
        assertTrue(f.context.state.snapshot().keySet().stream().filter(k -> k.startsWith("done/")).count() == 2);
    }

    @Test
    void deviceStateOnDemand() throws Exception {
        f.traveler.get(BOB, "Apple_B0B").lastSync = "2026-12-05T09:41:07Z";
        JsonNode r = f.run("device", "{\"deviceId\":\"Apple_B0B\"}");
        JsonNode d = r.get("device");
        assertEquals(BOB + "|Apple_B0B", d.get("id").asText());
        assertEquals("Apple iPad", d.get("type").asText());
        assertEquals("iPadOS 17.1", d.get("os").asText());
        assertEquals("2026-12-05T09:41:07Z", d.get("lastSync").asText(), "actions report the exact time");
        assertEquals("Allow", d.get("access").asText());
        assertEquals("[\"HardReset\",\"Application\",\"StorageCard\"]", d.get("wipeSupported").toString());
    }

    @Test
    void unknownDeviceUserAndAmbiguousIdsAreNamed() {
        CommandException device = f.fail("approve", "{\"deviceId\":\"NOPE1\"}");
        assertEquals(ErrorCode.INVALID_ARGUMENTS, device.code());
        assertTrue(device.getMessage().startsWith("UNKNOWN_DEVICE: no device with id NOPE1 is registered"), device.getMessage());
        CommandException user = f.fail("approve", "{\"deviceId\":\"Apple_B0B\",\"user\":\"CN=Nobody/O=Acme\"}");
        assertTrue(user.getMessage().startsWith("UNKNOWN_USER: no Traveler user 'CN=Nobody/O=Acme'"), user.getMessage());
        CommandException notHers = f.fail("approve", "{\"deviceId\":\"Apple_B0B\",\"user\":\"" + ANN + "\"}");
        assertTrue(notHers.getMessage().startsWith("UNKNOWN_DEVICE: no device with id Apple_B0B of user '" + ANN + "'"),
                notHers.getMessage());
        CommandException shared = f.fail("deny", "{\"deviceId\":\"SHARED01\"}");
        assertTrue(shared.getMessage().startsWith("AMBIGUOUS_DEVICE: device id SHARED01 is registered for "), shared.getMessage());
        assertTrue(shared.getMessage().contains(ANN) && shared.getMessage().contains(BOB), shared.getMessage());
        f.fake.server.verify(0, postRequestedFor(urlPathEqualTo("/api/traveler/security")));
    }

    @Test
    void theUserDisambiguatesASharedDeviceId() throws Exception {
        JsonNode r = f.run("deny", "{\"deviceId\":\"SHARED01\",\"user\":\"cn=bob roe/ou=sales/o=acme\"}");
        assertEquals(BOB, r.at("/device/user").asText());
        assertEquals("Deny", f.traveler.get(BOB, "SHARED01").access);
        assertEquals("Allow", f.traveler.get(ANN, "SHARED01").access);
    }

    @Test
    void aChangeTheServerAcceptsButDoesNotMakeIsNeverReportedAsDone() {
        f.traveler.ignoreChanges = true;
        for (String[] a : new String[][]{{"approve", "{\"deviceId\":\"Apple_C39XK2\"}"}, {"deny", "{\"deviceId\":\"Apple_B0B\"}"},
                {"wipe", "{\"deviceId\":\"Apple_B0B\",\"options\":[\"hardReset\"]}"}, {"remove", "{\"deviceId\":\"Apple_B0B\"}"},
                {"approvalSettings", "{\"requireApproval\":true}"}}) {
            CommandException e = f.fail(a[0], a[1]);
            assertEquals(ErrorCode.MODULE_FAILURE, e.code(), a[0]);
            assertTrue(e.getMessage().startsWith("NOT_APPLIED: the server accepted"), a[0] + ": " + e.getMessage());
        }
    }

    @Test
    void aServerErrorOnTheActionIsAFailureQuotingTheServer() {
        f.fake.server.stubFor(post(urlPathEqualTo("/api/traveler/security")).atPriority(1).willReturn(aResponse()
                .withStatus(500).withHeader("Content-Type", "application/json")
                .withBody("{\"code\":500,\"message\":\"Could not update LotusTraveler.nsf\"}")));
        CommandException e = f.fail("approve", "{\"deviceId\":\"Apple_C39XK2\"}");
        assertEquals(ErrorCode.MODULE_FAILURE, e.code());
        assertEquals("SERVER_ERROR: POST /api/traveler/security on " + f.fake.baseUrl()
                + ": HTTP 500: the server says: Could not update LotusTraveler.nsf", e.getMessage());
        assertEquals("Pending", f.traveler.get(ANN, "Apple_C39XK2").approval);
    }

    @Test
    void anHtmlErrorPageIsNamedAsSuch() {
        f.fake.server.stubFor(post(urlPathEqualTo("/api/traveler/security")).atPriority(1).willReturn(aResponse()
                .withStatus(503).withHeader("Content-Type", "text/html")
                .withBody("<html><head><title>HTTP Web Server: Lotus Notes Exception - Server busy</title></head></html>")));
        CommandException e = f.fail("deny", "{\"deviceId\":\"Apple_B0B\"}");
        assertEquals(ErrorCode.MODULE_FAILURE, e.code());
        assertTrue(e.getMessage().startsWith("SERVER_ERROR: POST /api/traveler/security"), e.getMessage());
        assertTrue(e.getMessage().contains("HTTP 503: an HTML page titled 'HTTP Web Server: Lotus Notes Exception - Server busy'"),
                e.getMessage());
    }

    @Test
    void anHtmlLoginFormInsteadOfJsonIsGarbageNotSuccess() {
        f.fake.server.stubFor(get(urlPathEqualTo("/api/traveler/devices")).atPriority(1).willReturn(aResponse()
                .withStatus(200).withHeader("Content-Type", "text/html; charset=UTF-8")
                .withBody("<html><head><title>Sign In</title></head><body><form action=\"/names.nsf?Login\"></form></body></html>")));
        CommandException e = f.fail("device", "{\"deviceId\":\"Apple_B0B\"}");
        assertEquals(ErrorCode.MODULE_FAILURE, e.code());
        assertTrue(e.getMessage().startsWith("GARBAGE: GET /api/traveler/devices on " + f.fake.baseUrl()
                + ": answered with an HTML page titled 'Sign In' instead of JSON"), e.getMessage());
        assertTrue(e.getMessage().contains("form login"), e.getMessage());
    }

    @Test
    void aLoginRedirectIsNotFollowed() {
        f.fake.server.stubFor(get(urlPathEqualTo("/api/traveler/devices")).atPriority(1).willReturn(aResponse()
                .withStatus(302).withHeader("Location", "https://login.example/names.nsf?Login")));
        CommandException e = f.fail("device", "{\"deviceId\":\"Apple_B0B\"}");
        assertTrue(e.getMessage().contains("redirected (HTTP 302) to https://login.example/names.nsf?Login"), e.getMessage());
    }

    @Test
    void malformedJsonIsGarbage() {
        f.fake.server.stubFor(get(urlPathEqualTo("/api/traveler/devices")).atPriority(1).willReturn(aResponse()
                .withStatus(200).withHeader("Content-Type", "application/json").withBody("{\"devices\":[{\"deviceId\":")));
        CommandException e = f.fail("device", "{\"deviceId\":\"Apple_B0B\"}");
        assertTrue(e.getMessage().startsWith("GARBAGE: GET /api/traveler/devices"), e.getMessage());
        assertTrue(e.getMessage().contains("not well-formed JSON"), e.getMessage());
    }

    @Test
    void aForbiddenAnswerNamesTheMissingRole() {
        f.fake.server.stubFor(post(urlPathEqualTo("/api/traveler/security")).atPriority(1).willReturn(aResponse()
                .withStatus(403).withHeader("Content-Type", "application/json")
                .withBody("{\"code\":403,\"message\":\"Not authorized\"}")));
        CommandException e = f.fail("approve", "{\"deviceId\":\"Apple_C39XK2\"}");
        assertTrue(e.getMessage().startsWith("PERMISSION: POST /api/traveler/security"), e.getMessage());
        assertTrue(e.getMessage().contains("Administrator role in the ACL of LotusTraveler.nsf"), e.getMessage());
    }

    @Test
    void wrongCredentialsAreAnAuthenticationFailure(@TempDir Path other) throws Exception {
        try (TravelerFixture wrong = new TravelerFixture(other, tls, Map.of("password", "wrong"))) {
            wrong.traveler.add(ANN, "Apple_C39XK2", "Apple iPhone", "iOS 17.1");
            CommandException e = wrong.fail("device", "{\"deviceId\":\"Apple_C39XK2\"}");
            assertEquals(ErrorCode.MODULE_FAILURE, e.code());
            assertTrue(e.getMessage().startsWith("AUTHENTICATION: GET /api/traveler/devices on " + wrong.fake.baseUrl()
                    + ": the server refused the Domino credentials of 'CN=Traveler Admin/O=Acme' (HTTP 401)"), e.getMessage());
            assertFalse(e.getMessage().contains("wrong"), "the password never appears in messages");
        }
    }

    @Test
    void aSlowAnswerWithinTheLimitIsFineAndASilentServerTimesOut() throws Exception {
        f.fake.server.stubFor(get(urlPathEqualTo("/api/traveler/devices")).atPriority(1).willReturn(aResponse()
                .withStatus(200).withHeader("Content-Type", "application/json").withFixedDelay(800)
                .withBody("{\"total\":1,\"devices\":[{\"userName\":\"" + BOB + "\",\"deviceId\":\"Apple_B0B\"}]}")));
        assertEquals("Apple_B0B", f.run("device", "{\"deviceId\":\"Apple_B0B\"}").at("/device/deviceId").asText());
        f.fake.server.stubFor(get(urlPathEqualTo("/api/traveler/devices")).atPriority(1).willReturn(aResponse()
                .withStatus(200).withHeader("Content-Type", "application/json").withFixedDelay(4000).withBody("{}")));
        long t0 = System.nanoTime();
        CommandException e = f.fail("device", "{\"deviceId\":\"Apple_B0B\"}");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(e.getMessage().startsWith("TIMEOUT: GET /api/traveler/devices"), e.getMessage());
        assertTrue(ms < 3500, "gave up at the 2 s limit, took " + ms + " ms");
    }

    @Test
    void anUntrustedServerIsRefused(@TempDir Path other) throws Exception {
        try (TravelerFixture untrusting = new TravelerFixture(other, tls, java.util.Collections.singletonMap("trustStore", null))) {
            untrusting.traveler.add(ANN, "Apple_C39XK2", "Apple iPhone", "iOS 17.1");
            CommandException e = untrusting.fail("device", "{\"deviceId\":\"Apple_C39XK2\"}");
            assertTrue(e.getMessage().startsWith("UNREACHABLE: GET /api/traveler/devices"), e.getMessage());
            assertTrue(e.getMessage().contains("TLS failed"), e.getMessage());
            assertEquals(0, untrusting.fake.deviceListRequests());
        }
    }

    @Test
    void aServerThatIsDownIsUnreachable(@TempDir Path other) throws Exception {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        com.cloudextender.modules.testkit.FakeModuleContext ctx = new com.cloudextender.modules.testkit.FakeModuleContext(
                "traveler", TravelerFixture.config("https://127.0.0.1:" + closed, tls.pem.toString(), Map.of()), other);
        TravelerModule m = new TravelerModule();
        m.start(ctx);
        try {
            CommandException e = assertThrows(CommandException.class, () -> m.actions().get("device").execute(
                    new com.cloudextender.api.Command("c", "traveler", "device", "{\"deviceId\":\"A1\"}",
                            java.time.Duration.ofMinutes(1))));
            assertEquals(ErrorCode.MODULE_FAILURE, e.code());
            assertTrue(e.getMessage().startsWith("UNREACHABLE: GET /api/traveler/devices: cannot reach https://127.0.0.1:"
                    + closed), e.getMessage());
        } finally {
            m.stop();
        }
    }

    @Test
    void approvalSettingsAreReadAndChangedWithReadBack() throws Exception {
        JsonNode read = f.run("approvalSettings", "{}");
        assertFalse(read.at("/approvalSettings/requireApproval").asBoolean());
        JsonNode changed = f.run("approvalSettings",
                "{\"requireApproval\":true,\"devicesBeforeApproval\":2,\"notifyAddresses\":[\"Mobile Admins\"]}");
        assertTrue(changed.get("applied").asBoolean());
        assertTrue(changed.at("/approvalSettings/requireApproval").asBoolean());
        assertEquals(2, changed.at("/approvalSettings/devicesBeforeApproval").asInt());
        assertTrue(f.traveler.requireApproval);
        assertEquals(2, f.traveler.devicesBeforeApproval);
        assertEquals(List.of("Mobile Admins"), f.traveler.notifyAddresses);
        CommandException bad = f.fail("approvalSettings", "{\"devicesBeforeApproval\":\"two\"}");
        assertEquals(ErrorCode.INVALID_ARGUMENTS, bad.code());
        assertTrue(bad.getMessage().startsWith("devicesBeforeApproval: not a whole number"), bad.getMessage());
    }

    @Test
    void policiesAreListedAndUploaded() throws Exception {
        JsonNode r = f.run("listPolicies", "{\"upload\":true}");
        assertEquals(2, r.get("count").asInt());
        assertEquals("Sales Mobile", r.at("/policies/0/name").asText());
        assertEquals("Default Settings", r.at("/defaultSettings/name").asText());
        assertEquals(1, r.get("chunks").size());
        String chunk = gunzip(f.context.uploads.stored.get(0));
        String[] lines = chunk.split("\n");
        assertEquals(4, lines.length, chunk);
        assertTrue(lines[1].startsWith("{\"op\":\"policy\",\"name\":\"Sales Mobile\""), lines[1]);
        assertTrue(lines[3].startsWith("{\"op\":\"defaultSettings\",\"settings\":{\"name\":\"Default Settings\""), lines[3]);
    }

    @Test
    void argumentsOfTheWrongTypeAreNamed() {
        CommandException e = f.fail("approve", "{\"deviceId\":42}");
        assertEquals(ErrorCode.INVALID_ARGUMENTS, e.code());
        assertEquals("deviceId: not a text; send a JSON string", e.getMessage());
        CommandException missing = f.fail("deny", "{}");
        assertEquals("deviceId: missing or empty; it is required", missing.getMessage());
        CommandException control = f.fail("deny", "{\"deviceId\":\"A\\nB\"}");
        assertTrue(control.getMessage().startsWith("INVALID_PARAMETER: deviceId"), control.getMessage());
    }

    static String gunzip(Path p) throws Exception {
        try (var in = new java.util.zip.GZIPInputStream(java.nio.file.Files.newInputStream(p))) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
