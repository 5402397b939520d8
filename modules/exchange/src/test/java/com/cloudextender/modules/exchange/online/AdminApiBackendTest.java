package com.cloudextender.modules.exchange.online;

import com.cloudextender.modules.support.http.ModuleHttp;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudextender.modules.exchange.cmdlet.Cmdlet;
import com.cloudextender.modules.exchange.cmdlet.CmdletCall;
import com.cloudextender.modules.exchange.cmdlet.CmdletResult;
import com.cloudextender.modules.exchange.cmdlet.ExchangeException;
import com.cloudextender.modules.exchange.cmdlet.ExchangeException.Reason;
import com.cloudextender.modules.exchange.testing.FakeAdminApi;
import com.cloudextender.modules.exchange.testing.InMemoryExchange;
import com.cloudextender.modules.exchange.testing.TestPki;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin API client against WireMock: paging, headers, retries, token renewal, errors, proxy and TLS. */
class AdminApiBackendTest {
    @TempDir
    static Path shared;
    static TestPki pki;

    InMemoryExchange exchange;
    FakeAdminApi api;
    final List<Duration> sleeps = new CopyOnWriteArrayList<>();
    final List<String> routed = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void keys() throws Exception {
        pki = TestPki.create(shared.resolve("pki"));
    }

    @BeforeEach
    void up() {
        exchange = new InMemoryExchange();
        api = new FakeAdminApi(exchange, pki);
    }

    @AfterEach
    void down() {
        api.close();
    }

    AdminApiBackend backend(int pageSize, Path certificate, Optional<Path> trust, Duration refreshBefore) throws Exception {
        ModuleHttp http = ModuleHttp.open((host, port) -> {
            routed.add(host + ":" + port);
            return Optional.empty();
        }, trust, ModuleHttp.Options.defaults().withAnswerTimeout(Duration.ofSeconds(10)));
        AppCertificate cert = AppCertificate.read(certificate, TestPki.PASSWORD.toCharArray());
        TokenSource tokens = new TokenSource(api.authorityBase() + FakeAdminApi.TENANT + "/", "client-id", cert,
                "https://outlook.office365.com/.default", http, refreshBefore, Clock.systemUTC());
        return new AdminApiBackend(http, tokens, api.baseUrl(), FakeAdminApi.TENANT, "UPN:SystemMailbox@contoso", pageSize,
                4, Duration.ofSeconds(8), sleeps::add);
    }

    AdminApiBackend backend() throws Exception {
        return backend(1000, pki.appCertificate, Optional.of(pki.serverPem), Duration.ofMinutes(5));
    }

    @Test
    void pagesAreFollowedWithThePageSizeAndAnchorHeadersAndOneCachedToken() throws Exception {
        for (int i = 0; i < 2500; i++) {
            exchange.device("user" + (i % 700), "DEV" + i, "iPhone");
        }
        exchange.warnings.add("The command completed successfully but no settings of 'x' have been modified.");
        try (AdminApiBackend b = backend()) {
            List<String> ids = new ArrayList<>();
            List<String> warnings = b.stream(CmdletCall.of(Cmdlet.GET_MOBILE_DEVICE, "ResultSize", CmdletCall.Unlimited.UNLIMITED),
                    d -> ids.add(d.get("DeviceId").asText()));
            assertEquals(2500, ids.size());
            assertEquals("DEV2499", ids.get(2499));
            assertEquals(3, warnings.size(), "one warning per page");
            b.invoke(CmdletCall.of(Cmdlet.GET_ACTIVESYNC_ORGANIZATION_SETTINGS));
        }
        api.server.verify(3, postRequestedFor(urlPathMatching("/adminapi/beta/" + FakeAdminApi.TENANT + "/InvokeCommand"))
                .withHeader("Prefer", equalTo("odata.maxpagesize=1000"))
                .withHeader("X-AnchorMailbox", equalTo("UPN:SystemMailbox@contoso"))
                .withHeader("X-CmdletName", equalTo("Get-MobileDevice")));
        assertEquals(1, api.tokensIssued(), "the token is reused until it nears its expiry");
        assertTrue(routed.contains("127.0.0.1:" + api.server.httpsPort()), "every connection asked the proxy decision: " + routed);
    }

    @Test
    void aTokenNearItsExpiryIsRenewedBeforeUse() throws Exception {
        api.expiresIn = 120; // shorter than the refresh margin
        try (AdminApiBackend b = backend()) {
            b.invoke(CmdletCall.of(Cmdlet.GET_ACTIVESYNC_ORGANIZATION_SETTINGS));
            b.invoke(CmdletCall.of(Cmdlet.GET_ACTIVESYNC_ORGANIZATION_SETTINGS));
        }
        assertEquals(2, api.tokensIssued());
    }

    @Test
    void a401AfterTheTokenExpiredFetchesANewTokenOnce() throws Exception {
        try (AdminApiBackend b = backend()) {
            b.invoke(CmdletCall.of(Cmdlet.GET_ACTIVESYNC_ORGANIZATION_SETTINGS));
            api.expireTokens();
            CmdletResult r = b.invoke(CmdletCall.of(Cmdlet.GET_ACTIVESYNC_ORGANIZATION_SETTINGS));
            assertEquals("Allow", r.objects().get(0).get("DefaultAccessLevel").asText());
        }
        assertEquals(3, api.tokensIssued()); // 1, the expired marker, then the renewed one
    }

    @Test
    void a429BurstIsWaitedOutWithRetryAfterAndA503WithBackoff() throws Exception {
        String s = "burst";
        api.server.stubFor(post(urlPathMatching("/adminapi/.*")).atPriority(1).inScenario(s)
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("2")
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "3")
                        .withBody("{\"error\":{\"code\":\"TooManyRequests\",\"message\":\"Rate limit exceeded\"}}")));
        api.server.stubFor(post(urlPathMatching("/adminapi/.*")).atPriority(1).inScenario(s)
                .whenScenarioStateIs("2").willSetStateTo("3")
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "30")));
        api.server.stubFor(post(urlPathMatching("/adminapi/.*")).atPriority(1).inScenario(s)
                .whenScenarioStateIs("3").willSetStateTo("done")
                .willReturn(aResponse().withStatus(503).withBody("<html>Service Unavailable</html>")));
        try (AdminApiBackend b = backend()) {
            assertEquals(1, b.invoke(CmdletCall.of(Cmdlet.GET_ACTIVESYNC_ORGANIZATION_SETTINGS)).objects().size());
            assertEquals(List.of(Duration.ofSeconds(3), Duration.ofSeconds(8), Duration.ofMillis(2000)), sleeps,
                    "Retry-After honoured, capped at the maximum backoff; 503 backs off exponentially");
            assertEquals(2, b.throttling().get("throttledResponses").asInt());
        }
    }

    @Test
    void throttlingThatDoesNotEndIsATypedFailure() throws Exception {
        api.server.stubFor(post(urlPathMatching("/adminapi/.*")).atPriority(1)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")));
        try (AdminApiBackend b = backend()) {
            ExchangeException e = assertThrows(ExchangeException.class,
                    () -> b.invoke(CmdletCall.of(Cmdlet.GET_ACTIVESYNC_ORGANIZATION_SETTINGS)));
            assertEquals(Reason.THROTTLED, e.reason());
            assertEquals(4, sleeps.size());
        }
    }

    @Test
    void garbageAndErrorBodiesAreTyped() throws Exception {
        try (AdminApiBackend b = backend()) {
            ExchangeException notFound = assertThrows(ExchangeException.class,
                    () -> b.invoke(CmdletCall.of(Cmdlet.GET_CAS_MAILBOX, "Identity", "ghost")));
            assertEquals(Reason.NOT_FOUND, notFound.reason());
            assertTrue(notFound.getMessage().contains("'ghost' couldn't be found"), notFound.getMessage());

            api.server.stubFor(post(urlPathMatching("/adminapi/.*")).atPriority(1)
                    .willReturn(aResponse().withStatus(200).withBody("<html>proxy login page</html>")));
            ExchangeException garbage = assertThrows(ExchangeException.class,
                    () -> b.invoke(CmdletCall.of(Cmdlet.GET_ACTIVESYNC_ORGANIZATION_SETTINGS)));
            assertEquals(Reason.GARBAGE, garbage.reason());
            assertTrue(garbage.getMessage().contains("<html>proxy login page"), garbage.getMessage());

            api.server.stubFor(post(urlPathMatching("/adminapi/.*")).atPriority(1)
                    .willReturn(aResponse().withStatus(200).withBody("{\"value\":[{\"a\":1},")));
            assertEquals(Reason.GARBAGE, assertThrows(ExchangeException.class,
                    () -> b.invoke(CmdletCall.of(Cmdlet.GET_ACTIVESYNC_ORGANIZATION_SETTINGS))).reason());

            api.server.stubFor(post(urlPathMatching("/adminapi/.*")).atPriority(1)
                    .willReturn(aResponse().withStatus(200).withBody("{\"value\":[],\"@odata.nextLink\":\"https://evil.example/steal\"}")));
            ExchangeException elsewhere = assertThrows(ExchangeException.class,
                    () -> b.invoke(CmdletCall.of(Cmdlet.GET_ACTIVESYNC_ORGANIZATION_SETTINGS)));
            assertTrue(elsewhere.getMessage().contains("evil.example"), elsewhere.getMessage());

            api.server.stubFor(post(urlPathMatching("/adminapi/.*")).atPriority(1)
                    .willReturn(aResponse().withStatus(403).withBody("{\"error\":{\"code\":\"Forbidden\",\"message\":\"The role assigned to application isn't supported\"}}")));
            assertEquals(Reason.PERMISSION, assertThrows(ExchangeException.class,
                    () -> b.invoke(CmdletCall.of(Cmdlet.GET_ACTIVESYNC_ORGANIZATION_SETTINGS))).reason());
        }
    }

    @Test
    void anExpiredCertificateIsRefusedBeforeAnySignIn() throws Exception {
        try (AdminApiBackend b = backend(1000, pki.expiredAppCertificate, Optional.of(pki.serverPem), Duration.ofMinutes(5))) {
            ExchangeException e = assertThrows(ExchangeException.class,
                    () -> b.invoke(CmdletCall.of(Cmdlet.GET_ACTIVESYNC_ORGANIZATION_SETTINGS)));
            assertEquals(Reason.CERTIFICATE_EXPIRED, e.reason());
            assertTrue(e.getMessage().contains("CN=expired-app") && e.getMessage().contains("expired on"), e.getMessage());
        }
        assertEquals(0, api.tokensIssued());
    }

    @Test
    void tlsIsVerifiedAServerOutsideTheTrustStoreIsRefused() throws Exception {
        try (AdminApiBackend b = backend(1000, pki.appCertificate, Optional.empty(), Duration.ofMinutes(5))) {
            ExchangeException e = assertThrows(ExchangeException.class,
                    () -> b.invoke(CmdletCall.of(Cmdlet.GET_ACTIVESYNC_ORGANIZATION_SETTINGS)));
            assertEquals(Reason.UNREACHABLE, e.reason(), e.getMessage());
        }
        assertEquals(0, api.tokensIssued(), "no token request went to an unverified server");
    }

    @Test
    void requestBodiesCarryTypedValuesAndHashTables() {
        var body = AdminApiBackend.requestBody(CmdletCall.of(Cmdlet.SET_CAS_MAILBOX, "Identity", "alice",
                "ActiveSyncAllowedDeviceIDs", com.cloudextender.modules.exchange.cmdlet.AddRemove.add("D1"), "Confirm", false,
                "ResultSize", 5));
        assertEquals("{\"CmdletInput\":{\"CmdletName\":\"Set-CASMailbox\",\"Parameters\":{\"Identity\":\"alice\","
                + "\"ActiveSyncAllowedDeviceIDs\":{\"@odata.type\":\"#Exchange.GenericHashTable\",\"Add\":[\"D1\"]},"
                + "\"Confirm\":false,\"ResultSize\":5}}}", body.toString());
        assertThrows(IllegalArgumentException.class, () -> CmdletCall.of(Cmdlet.SET_CAS_MAILBOX, "Identity", 3.5));
        assertThrows(IllegalArgumentException.class, () -> CmdletCall.of(Cmdlet.SET_CAS_MAILBOX, "Bad-Name", "x"));
    }
}
