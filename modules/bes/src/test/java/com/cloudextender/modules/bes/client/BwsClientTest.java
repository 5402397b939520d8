package com.cloudextender.modules.bes.client;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudextender.api.ModuleConfig;
import com.cloudextender.api.OutboundProxies;
import com.cloudextender.api.ProxyRoute;
import com.cloudextender.modules.bes.BesSettings;
import com.cloudextender.modules.bes.devices.DeviceActions;
import com.cloudextender.modules.bes.devices.UserDirectory;
import com.cloudextender.modules.bes.testing.FakeBws;
import com.cloudextender.modules.bes.testing.InMemoryBes;
import com.cloudextender.modules.bes.testing.TestPki;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.Proxy;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The BWS client against WireMock emulating the BAS: sign-in, metadata, TLS, proxy decision, failures. */
class BwsClientTest {
    @TempDir
    static Path shared;
    static TestPki pki;
    InMemoryBes bes;
    FakeBws bws;

    @BeforeAll
    static void keys() throws Exception {
        pki = TestPki.create(shared.resolve("pki"));
    }

    @BeforeEach
    void server() {
        bes = new InMemoryBes();
        bws = new FakeBws(bes, pki);
    }

    @AfterEach
    void stop() {
        bws.close();
    }

    BesSettings settings(Map<String, String> extra) {
        Map<String, String> c = new HashMap<>(Map.of("server", bws.baseUrl() + "/", "username", FakeBws.ADMIN,
                "password", FakeBws.PASSWORD, "trustStore", pki.serverPem.toString(), "timeout", "10s"));
        c.putAll(extra);
        return BesSettings.read(new ModuleConfig(c, Set.of("password")));
    }

    BwsClient open(Map<String, String> extra) throws Exception {
        return BwsClient.open(settings(extra), (h, p) -> Optional.empty());
    }

    @Test
    void signsInThroughBwsUtilThenCallsBwsWithTheEncodedNameAndMetadataOnEveryRequest() throws Exception {
        try (BwsClient c = open(Map.of())) {
            ObjectNode v = new DeviceActions(c, new UserDirectory(c)).version();
            assertEquals("5.0.4", v.get("bwsVersion").asText());
            assertEquals("6.2.0.366", v.get("basVersion").asText());
            new DeviceActions(c, new UserDirectory(c)).version();
        }
        assertEquals(1, bws.calls("getAuthenticators"));
        assertEquals(1, bws.calls("getEncodedUsername"), "signed in once, not per call");
        assertEquals(2, bws.calls("getSystemInfo"));
        assertEquals(bws.requests(), bws.withMetadata.get(), "every request carried its RequestMetadata");
    }

    @Test
    void aWrongPasswordIsAnAuthenticationFailureNamingWhatToCheck() throws Exception {
        try (BwsClient c = open(Map.of("password", "wrong"))) {
            BesException e = assertThrows(BesException.class, () -> new DeviceActions(c, new UserDirectory(c)).version());
            assertEquals("AUTHENTICATION", e.reason());
            assertTrue(e.getMessage().contains("HTTP 401") && e.getMessage().contains("getSystemInfo"), e.getMessage());
        }
    }

    @Test
    void anUnknownAuthenticatorNamesTheOnesOnOffer() throws Exception {
        try (BwsClient c = open(Map.of("authenticator", "LDAP"))) {
            BesException e = assertThrows(BesException.class, c::signIn);
            assertEquals("AUTHENTICATION", e.reason());
            assertTrue(e.getMessage().contains("'BlackBerry Administration Service', 'Active Directory'"), e.getMessage());
        }
    }

    @Test
    void aSoapFaultIsTypedWithItsFaultString() throws Exception {
        bws.server.stubFor(post(urlPathEqualTo(FakeBws.BWS_PATH)).atPriority(1)
                .withRequestBody(containing("getSystemInfo"))
                .willReturn(aResponse().withStatus(500).withHeader("Content-Type", "text/xml; charset=UTF-8")
                        .withBody(FakeBws.faultBody("soap:Server", "Internal error in BAS"))));
        try (BwsClient c = open(Map.of())) {
            BesException e = assertThrows(BesException.class, () -> new DeviceActions(c, new UserDirectory(c)).version());
            assertEquals("SOAP_FAULT", e.reason(), e.getMessage() + " / " + e.getCause());
            assertTrue(e.getMessage().contains("Internal error in BAS"), e.getMessage());
        }
    }

    @Test
    void anHtmlPageInsteadOfSoapIsNamedAsSuch() throws Exception {
        bws.server.stubFor(post(urlPathEqualTo(FakeBws.BWS_PATH)).atPriority(1)
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/html")
                        .withBody("<html><body>Maintenance</body></html>")));
        try (BwsClient c = open(Map.of())) {
            BesException e = assertThrows(BesException.class, () -> new DeviceActions(c, new UserDirectory(c)).version());
            assertEquals("NOT_SOAP", e.reason(), e.getMessage());
            assertTrue(e.getMessage().contains("getSystemInfo"), e.getMessage());
        }
    }

    @Test
    void aServerErrorPageIsAnHttpError() throws Exception {
        bws.server.stubFor(post(urlPathEqualTo(FakeBws.BWS_PATH)).atPriority(1)
                .willReturn(aResponse().withStatus(503).withHeader("Content-Type", "text/html")
                        .withBody("<html><body>Service Unavailable</body></html>")));
        try (BwsClient c = open(Map.of())) {
            BesException e = assertThrows(BesException.class, () -> new DeviceActions(c, new UserDirectory(c)).version());
            assertTrue(Set.of("HTTP_ERROR", "NOT_SOAP").contains(e.reason()), e.reason() + " " + e.getMessage());
            assertTrue(e.getMessage().contains("503") || e.getMessage().contains("text/html"), e.getMessage());
        }
    }

    @Test
    void aSlowAnswerWithinTheLimitIsReadAndOneBeyondItIsATimeout() throws Exception {
        bws.server.stubFor(post(urlPathEqualTo(FakeBws.BWS_PATH)).atPriority(1)
                .withRequestBody(containing("getSystemInfo"))
                .willReturn(aResponse().withTransformers("bws").withFixedDelay(800)));
        try (BwsClient c = open(Map.of())) {
            assertEquals("5.0.4", new DeviceActions(c, new UserDirectory(c)).version().get("bwsVersion").asText());
        }
        bws.server.stubFor(post(urlPathEqualTo(FakeBws.BWS_PATH)).atPriority(1)
                .withRequestBody(containing("getSystemInfo"))
                .willReturn(aResponse().withTransformers("bws").withFixedDelay(4000)));
        try (BwsClient c = open(Map.of("timeout", "1s"))) {
            long start = System.nanoTime();
            BesException e = assertThrows(BesException.class, () -> new DeviceActions(c, new UserDirectory(c)).version());
            assertEquals("TIMEOUT", e.reason(), e.getMessage());
            assertTrue((System.nanoTime() - start) / 1_000_000 < 3500, "gave up at the limit");
        }
    }

    @Test
    void aServerWhoseCertificateIsNotInTheTrustStoreIsRefused() throws Exception {
        try (BwsClient c = open(Map.of("trustStore", pki.otherPem.toString()))) {
            BesException e = assertThrows(BesException.class, c::signIn);
            assertEquals("TLS", e.reason(), e.getMessage());
        }
        assertEquals(0, bws.calls("getAuthenticators"));
    }

    @Test
    void everyConnectionAsksTheProxyDecisionForTheBasHostAndPort() throws Exception {
        List<String> asked = new CopyOnWriteArrayList<>();
        try (BwsClient c = BwsClient.open(settings(Map.of()), (h, p) -> {
            asked.add(h + ":" + p);
            return Optional.empty();
        })) {
            new DeviceActions(c, new UserDirectory(c)).version();
        }
        assertTrue(asked.contains("127.0.0.1:" + bws.server.httpsPort()), asked.toString());
    }

    /** Extender sockets that record where they are asked to connect, then connect directly. */
    static final class RecordingSockets extends javax.net.SocketFactory {
        final List<String> connects = new CopyOnWriteArrayList<>();

        @Override
        public java.net.Socket createSocket() {
            return new java.net.Socket() {
                @Override
                public void connect(java.net.SocketAddress to, int timeout) throws java.io.IOException {
                    java.net.InetSocketAddress a = (java.net.InetSocketAddress) to;
                    connects.add(a.getHostString() + ":" + a.getPort());
                    super.connect(new java.net.InetSocketAddress(a.getHostString(), a.getPort()), timeout);
                }
            };
        }

        @Override
        public java.net.Socket createSocket(String host, int port) throws java.io.IOException {
            java.net.Socket s = createSocket();
            s.connect(java.net.InetSocketAddress.createUnresolved(host, port));
            return s;
        }

        @Override
        public java.net.Socket createSocket(String host, int port, java.net.InetAddress l, int lp) throws java.io.IOException {
            return createSocket(host, port);
        }

        @Override
        public java.net.Socket createSocket(java.net.InetAddress host, int port) throws java.io.IOException {
            return createSocket(host.getHostAddress(), port);
        }

        @Override
        public java.net.Socket createSocket(java.net.InetAddress a, int p, java.net.InetAddress l, int lp) throws java.io.IOException {
            return createSocket(a.getHostAddress(), p);
        }
    }

    /** The extender's decision with its own sockets, as the core offers it (it logs in to proxies itself). */
    static OutboundProxies withSockets(RecordingSockets sockets, List<String> asked) {
        return new OutboundProxies() {
            @Override
            public Optional<ProxyRoute> routeFor(String host, int port) {
                asked.add(host + ":" + port);
                return Optional.empty();
            }

            @Override
            public Optional<javax.net.SocketFactory> tunnels() {
                return Optional.of(sockets);
            }
        };
    }

    @Test
    void whenTheExtenderOffersItsSocketsEveryConnectionToTheBasUsesThem() throws Exception {
        // Through them an NTLM- or Kerberos-only proxy works: the extender logs in, the module never sees
        // the proxy's password (the sockets themselves are tested in the core and against squid).
        RecordingSockets sockets = new RecordingSockets();
        List<String> asked = new CopyOnWriteArrayList<>();
        try (BwsClient c = BwsClient.open(settings(Map.of()), withSockets(sockets, asked))) {
            assertEquals("5.0.4", new DeviceActions(c, new UserDirectory(c)).version().get("bwsVersion").asText());
        }
        assertTrue(bws.calls("getAuthenticators") > 0);
        assertTrue(!sockets.connects.isEmpty() && sockets.connects.stream()
                .allMatch(a -> a.equals("127.0.0.1:" + bws.server.httpsPort())), sockets.connects.toString());
        assertEquals(List.of(), asked, "the socket decides; CXF names no proxy of its own");
    }

    @Test
    void overTheExtendersSocketsTheBasCertificateIsStillVerified() throws Exception {
        RecordingSockets sockets = new RecordingSockets();
        try (BwsClient c = BwsClient.open(settings(Map.of("trustStore", pki.otherPem.toString())),
                withSockets(sockets, new CopyOnWriteArrayList<>()))) {
            BesException e = assertThrows(BesException.class, c::signIn);
            assertEquals("TLS", e.reason(), e.getMessage());
        }
        assertEquals(1, sockets.connects.size(), "the connection was made, and refused at TLS");
        assertEquals(0, bws.calls("getAuthenticators"));
    }

    @Test
    void theRouteProxyFactoryAnswersWithTheExtendersRoute() {
        var f = new RoutedConduitFactory.RouteProxyFactory((h, p) -> h.equals("bas.corp") && p == 443
                ? Optional.of(new ProxyRoute("proxy.corp", 3128, Optional.empty(), Optional.empty())) : Optional.empty(), null);
        Proxy viaProxy = f.createProxy(null, URI.create("https://bas.corp/enterprise/admin/ws"));
        assertEquals(Proxy.Type.HTTP, viaProxy.type());
        java.net.InetSocketAddress a = (java.net.InetSocketAddress) viaProxy.address();
        assertEquals("proxy.corp", a.getHostString());
        assertEquals(3128, a.getPort());
        assertEquals(Proxy.NO_PROXY, f.createProxy(null, URI.create("https://other.corp:8443/x")));
    }

    @Test
    void settingsRefuseAPlainHttpServer() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BesSettings.read(new ModuleConfig(
                Map.of("server", "http://bas.corp", "username", "a", "password", "b"), Set.of())));
        assertTrue(e.getMessage().startsWith("server:"), e.getMessage());
    }
}
