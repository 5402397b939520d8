package com.cloudextender.core.proxy.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.cloudextender.api.ProxyRoute;
import com.cloudextender.core.proxy.HttpConnectTunnel;
import com.cloudextender.core.proxy.ProxyAuth;
import com.cloudextender.core.proxy.ProxyException;

/**
 * The proxy login against a capturing fake proxy on loopback: no credential before a challenge, the proxy's
 * order among the allowed schemes, Basic only when allowed, NTLMv2 on one connection, and errors that say
 * what was offered, tried and why.
 */
class ProxyAuthenticatorTest {
    private static final String PASSWORD = "Pass-jsmith1";

    private static ProxyAuthenticator auth(ProxyAuth... allowed) {
        Clock c = Clock.systemUTC();
        // A keytab that does not exist: Negotiate fails locally, without asking any KDC.
        return new ProxyAuthenticator(List.of(allowed), Optional.empty(), "WS1",
                new KerberosClient(Optional.of("svc@CORP.EXAMPLE.TEST"), Optional.of(Path.of("/nonexistent.keytab")),
                        c), c);
    }

    private static ProxyRoute route(FakeProxy p, String user, String password) {
        return new ProxyRoute("127.0.0.1", p.port(), Optional.of(user), Optional.of(password));
    }

    private static void echoes(Socket s) throws IOException {
        s.getOutputStream().write('x');
        assertEquals('x', s.getInputStream().read(), "bytes after the answer belong to the tunnel");
    }

    @Test
    void aProxyOutsideTheCredentialsRuleGetsNoSchemeAtAllAndTheErrorNamesTheKey() throws Exception {
        try (FakeProxy p = new FakeProxy(List.of("Negotiate", "NTLM", "Basic realm=\"corp\""), "jsmith", "CORP",
                PASSWORD)) {
            Clock c = Clock.systemUTC();
            ProxyAuthenticator a = new ProxyAuthenticator(List.of(ProxyAuth.NEGOTIATE, ProxyAuth.NTLM, ProxyAuth.BASIC),
                    Optional.empty(), "WS1", new KerberosClient(Optional.of("svc@CORP.EXAMPLE.TEST"),
                            Optional.of(Path.of("/nonexistent.keytab")), c), c, (host, port) -> false);
            ProxyException e = assertThrows(ProxyException.class, () -> HttpConnectTunnel.open(
                    route(p, "CORP\\jsmith", PASSWORD), a, "cloud.test", 443, 5000));
            assertTrue(p.requests.stream().allMatch(r -> r.authorization().isEmpty()), "no ticket, no NTLM, no Basic: "
                    + p.requests);
            assertTrue(e.getMessage().contains("add 127.0.0.1:" + p.port() + " to proxy.credentialsFor"), e.getMessage());
            assertFalse(e.getMessage().contains(PASSWORD));
        }
    }

    @Test
    void ntlmv2LoginSendsNothingBeforeTheChallengeAndStaysOnOneConnection() throws Exception {
        try (FakeProxy p = new FakeProxy(List.of("NTLM"), "jsmith", "CORP", PASSWORD)) {
            ProxyAuthenticator a = auth(ProxyAuth.NEGOTIATE, ProxyAuth.NTLM);
            try (Socket s = HttpConnectTunnel.open(route(p, "CORP\\jsmith", PASSWORD), a, "cloud.test", 443, 5000)) {
                echoes(s);
            }
            assertEquals(3, p.requests.size(), p.requests.toString());
            assertEquals(Optional.empty(), p.requests.get(0).authorization(), "no credential before the challenge");
            assertTrue(p.requests.get(1).authorization().orElseThrow().startsWith("NTLM "));
            assertTrue(p.requests.stream().allMatch(r -> r.connection() == 1), "one connection: " + p.requests);
            assertEquals("CONNECT cloud.test:443 HTTP/1.1", p.requests.get(2).head().get(0));
            assertEquals("NTLM", a.status().scheme());
            assertEquals("NTLM", a.status().report().get("offered"));
        }
    }

    @Test
    void aProxyThatAcceptedNtlmGetsNegotiateFirstNextTimeWhichCarriesNoSecret() throws Exception {
        try (FakeProxy p = new FakeProxy(List.of("Negotiate", "NTLM"), "jsmith", "CORP", PASSWORD)) {
            ProxyAuthenticator a = auth(ProxyAuth.NEGOTIATE, ProxyAuth.NTLM);
            for (int i = 0; i < 2; i++) {
                try (Socket s = HttpConnectTunnel.open(route(p, "CORP\\jsmith", PASSWORD), a, "cloud.test", 443, 5000)) {
                    echoes(s);
                }
            }
            List<FakeProxy.Request> second = p.requests.stream().filter(r -> r.connection() == 2).toList();
            assertEquals(2, second.size(), p.requests.toString());
            byte[] opening = java.util.Base64.getDecoder().decode(second.get(0).authorization().orElseThrow().substring(5));
            assertEquals(1, opening[8], "NEGOTIATE: no user, no password");
            assertEquals(java.util.HexFormat.of().formatHex(Ntlmv2.negotiate()), java.util.HexFormat.of().formatHex(opening));
            assertEquals("Negotiate, NTLM", a.status().report().get("offered"));
        }
    }

    @Test
    void aRememberedNtlmProxyThatNowOffersOnlyBasicIsAnsweredByTheRules() throws Exception {
        ProxyAuthenticator a = auth(ProxyAuth.NTLM);
        try (FakeProxy p = new FakeProxy(List.of("NTLM"), "jsmith", "CORP", PASSWORD)) {
            try (Socket s = HttpConnectTunnel.open(route(p, "CORP\\jsmith", PASSWORD), a, "cloud.test", 443, 5000)) {
                echoes(s);
            }
            p.offered = List.of("Basic realm=\"x\"");
            p.ntlm = false;
            ProxyAuthException e = assertThrows(ProxyAuthException.class, () -> HttpConnectTunnel.open(
                    route(p, "CORP\\jsmith", PASSWORD), a, "cloud.test", 443, 5000));
            assertTrue(e.getMessage().contains("It offers Basic"), e.getMessage());
            assertTrue(e.getMessage().contains("Basic: not allowed"), e.getMessage());
            assertTrue(p.requests.stream().noneMatch(r -> r.authorization().orElse("").startsWith("Basic")));
        }
    }

    @Test
    void basicIsNeverSentWhenNotAllowed() throws Exception {
        try (FakeProxy p = new FakeProxy(List.of("Basic realm=\"corp\""), "CORP\\jsmith", "", PASSWORD)) {
            ProxyAuthenticator a = auth(ProxyAuth.NEGOTIATE, ProxyAuth.NTLM);
            ProxyAuthException e = assertThrows(ProxyAuthException.class,
                    () -> HttpConnectTunnel.open(route(p, "CORP\\jsmith", PASSWORD), a, "cloud.test", 443, 5000));
            assertTrue(p.requests.stream().allMatch(r -> r.authorization().isEmpty()), "no credential: " + p.requests);
            assertTrue(e.getMessage().contains("refused CONNECT cloud.test:443: HTTP 407"), e.getMessage());
            assertTrue(e.getMessage().contains("It offers Basic; allowed (proxy.authSchemes): negotiate,ntlm"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("Basic: not allowed (add basic to proxy.authSchemes"), e.getMessage());
            assertFalse(e.getMessage().contains(PASSWORD));
            assertEquals(e.getMessage(), a.status().report().get("lastFailure"));
        }
    }

    @Test
    void basicIsSentOnlyAfterTheChallengeWhenAllowed() throws Exception {
        try (FakeProxy p = new FakeProxy(List.of("Basic realm=\"corp\""), "alice", "", "pw:1")) {
            ProxyAuthenticator a = auth(ProxyAuth.BASIC);
            try (Socket s = HttpConnectTunnel.open(route(p, "alice", "pw:1"), a, "cloud.test", 443, 5000)) {
                echoes(s);
            }
            assertEquals(Optional.empty(), p.requests.get(0).authorization());
            assertEquals("Basic YWxpY2U6cHc6MQ==", p.requests.get(1).authorization().orElseThrow());
            assertEquals("Basic", a.status().scheme());
        }
    }

    @Test
    void theProxysOrderWinsAmongAllowedSchemes() throws Exception {
        try (FakeProxy p = new FakeProxy(List.of("NTLM", "Basic realm=\"corp\""), "jsmith", "CORP", PASSWORD)) {
            ProxyAuthenticator a = auth(ProxyAuth.BASIC, ProxyAuth.NTLM);
            try (Socket s = HttpConnectTunnel.open(route(p, "jsmith@CORP", PASSWORD), a, "cloud.test", 443, 5000)) {
                echoes(s);
            }
            assertEquals("NTLM", a.status().scheme());
            assertTrue(p.requests.stream().noneMatch(r -> r.authorization().orElse("").startsWith("Basic")));
        }
    }

    @Test
    void negotiateWithoutKerberosFallsBackToNtlmWithoutSendingAnything() throws Exception {
        try (FakeProxy p = new FakeProxy(List.of("Negotiate", "NTLM"), "jsmith", "CORP", PASSWORD)) {
            ProxyAuthenticator a = auth(ProxyAuth.NEGOTIATE, ProxyAuth.NTLM);
            try (Socket s = HttpConnectTunnel.open(route(p, "CORP\\jsmith", PASSWORD), a, "cloud.test", 443, 5000)) {
                echoes(s);
            }
            assertTrue(p.requests.stream().noneMatch(r -> r.authorization().orElse("").startsWith("Negotiate")));
            assertEquals("NTLM", a.status().scheme());
            assertEquals("Negotiate, NTLM", a.status().report().get("offered"));
        }
    }

    @Test
    void wrongPasswordNamesTheUserAndEveryScheme() throws Exception {
        try (FakeProxy p = new FakeProxy(List.of("Negotiate", "NTLM", "Basic realm=\"x\""), "jsmith", "CORP",
                PASSWORD)) {
            ProxyAuthenticator a = auth(ProxyAuth.NEGOTIATE, ProxyAuth.NTLM);
            ProxyAuthException e = assertThrows(ProxyAuthException.class, () -> HttpConnectTunnel.open(
                    route(p, "CORP\\jsmith", "not-the-password"), a, "cloud.test", 443, 5000));
            List<String> attempts = e.attempts();
            assertEquals(3, attempts.size(), attempts.toString());
            assertTrue(attempts.get(0).startsWith("Negotiate (Kerberos, keytab /nonexistent.keytab"), attempts.get(0));
            assertTrue(attempts.get(1).startsWith("NTLM as CORP\\jsmith: the proxy rejected the login"), attempts.get(1));
            assertTrue(attempts.get(2).startsWith("Basic: not allowed"), attempts.get(2));
            assertFalse(e.getMessage().contains("not-the-password"));
            assertTrue(e.getMessage().contains("proxy.password"), e.getMessage());
        }
    }

    @Test
    void aProxyThatClosesAfterItsFirstRefusalGetsTheLoginOnANewConnection() throws Exception {
        try (FakeProxy p = new FakeProxy(List.of("NTLM"), "jsmith", "CORP", PASSWORD)) {
            p.closeAfterFirstRefusal = true;
            p.chunkedRefusals = true;
            ProxyAuthenticator a = auth(ProxyAuth.NTLM);
            try (Socket s = HttpConnectTunnel.open(route(p, "CORP\\jsmith", PASSWORD), a, "cloud.test", 443, 5000)) {
                echoes(s);
            }
            assertEquals(1, p.requests.get(0).connection());
            assertEquals(2, p.requests.get(1).connection());
            assertEquals(2, p.requests.get(2).connection());
        }
    }

    @Test
    void ntlmHandshakeBrokenByTheProxyIsSaidAsSuch() throws Exception {
        try (FakeProxy p = new FakeProxy(List.of("NTLM"), "jsmith", "CORP", PASSWORD)) {
            p.closeAfterNtlmChallenge = true;
            ProxyAuthenticator a = auth(ProxyAuth.NTLM);
            ProxyException e = assertThrows(ProxyException.class, () -> HttpConnectTunnel.open(
                    route(p, "CORP\\jsmith", PASSWORD), a, "cloud.test", 443, 5000));
            assertTrue(e.getMessage().contains("stay on one connection"), e.getMessage());
        }
    }

    @Test
    void noUserConfiguredIsSaid() throws Exception {
        try (FakeProxy p = new FakeProxy(List.of("NTLM"), "jsmith", "CORP", PASSWORD)) {
            ProxyRoute anonymous = new ProxyRoute("127.0.0.1", p.port(), Optional.empty(), Optional.empty());
            ProxyAuthException e = assertThrows(ProxyAuthException.class,
                    () -> HttpConnectTunnel.open(anonymous, auth(ProxyAuth.NTLM), "cloud.test", 443, 5000));
            assertTrue(e.getMessage().contains("NTLM: no proxy.username and proxy.password configured"), e.getMessage());
            assertEquals(1, p.requests.size());
        }
    }
}
