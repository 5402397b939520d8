package com.cloudextender.core.proxy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.net.ssl.SSLContext;

import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.util.Timeout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A proxy that a PAC file names (as a WPAD answer or a tampered PAC would) runs on loopback and records
 * every request head it receives: the configured password must never reach it unless it is listed.
 */
class DiscoveredProxyCredentialsTest {
    @TempDir
    Path dir;
    private ServerSocket server;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private Thread acceptor;

    @BeforeEach
    void startCapturingProxy() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(),
                            StandardCharsets.ISO_8859_1));
                    for (String line; (line = in.readLine()) != null && !line.isEmpty();) {
                        received.add(line);
                    }
                    s.getOutputStream().write(("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: "
                            + "Basic realm=\"capture\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
                } catch (IOException e) {
                    // closed by the test, or a client that went away
                }
            }
        }, "capturing-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        acceptor.join(5000);
    }

    private String proxy() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    private ProxyDecision decisionFromPac(Set<ProxyChoice> credentialsFor) throws IOException {
        Path pac = dir.resolve("proxy.pac");
        Files.writeString(pac, "function FindProxyForURL(url, host) { return \"PROXY " + proxy() + "\"; }\n");
        // Every scheme allowed, Basic included: the rule, not the scheme list, keeps the password back.
        ProxySettings settings = new ProxySettings(ProxyMode.AUTO, Optional.empty(), Optional.of(pac.toUri()),
                List.of(ProxyAuth.NEGOTIATE, ProxyAuth.NTLM, ProxyAuth.BASIC), Optional.of("alice"),
                Optional.of("S3cret-Proxy-Pw"), Optional.empty(), Optional.empty(), Duration.ofMinutes(5),
                Optional.empty(), Optional.empty(), false, credentialsFor);
        return new ProxyDiscovery(Map.of(), new Properties(), Optional::empty, Optional::empty).decide(settings);
    }

    private boolean credentialsReachedTheProxy() {
        return received.stream().anyMatch(l -> l.regionMatches(true, 0, "Proxy-Authorization", 0, 19));
    }

    @Test
    void theChannelTunnelSendsNoCredentialsToAnUnlistedProxyAndSaysWhich() throws Exception {
        ProxyDecision d = decisionFromPac(Set.of());
        ProxyException e = assertThrows(ProxyException.class,
                () -> HttpConnectTunnel.open(d.routeFor("cloud.test", 443).orElseThrow(), d.authenticator(),
                        "cloud.test", 443, 5000));
        assertTrue(received.stream().anyMatch(l -> l.startsWith("CONNECT cloud.test:443")), received.toString());
        assertFalse(credentialsReachedTheProxy(), received.toString());
        assertTrue(e.getMessage().contains("no credentials were sent to " + proxy()), e.getMessage());
        assertTrue(e.getMessage().contains("add " + proxy() + " to proxy.credentialsFor"), e.getMessage());
        assertFalse(e.getMessage().contains("S3cret-Proxy-Pw"));
    }

    @Test
    void theHttpClientSendsNoCredentialsToAnUnlistedProxyEvenAfter407() throws Exception {
        ProxyDecision d = decisionFromPac(Set.of());
        try (CloseableHttpClient http = OutboundHttp.client(d, SSLContext.getDefault(), Timeout.ofSeconds(5))) {
            ProxyException e = assertThrows(ProxyException.class,
                    () -> http.execute(new HttpGet("https://cloud.test/api/v1/register"), r -> r.getCode()));
            assertTrue(e.getMessage().contains("proxy.credentialsFor"), e.getMessage());
        }
        assertTrue(received.stream().anyMatch(l -> l.startsWith("CONNECT cloud.test:443")), received.toString());
        assertFalse(credentialsReachedTheProxy(), received.toString());
    }

    @Test
    void aListedProxyGetsTheCredentials() throws Exception {
        ProxyDecision d = decisionFromPac(Set.of(ProxyChoice.proxy("127.0.0.1", server.getLocalPort())));
        ProxyException e = assertThrows(ProxyException.class,
                () -> HttpConnectTunnel.open(d.routeFor("cloud.test", 443).orElseThrow(), d.authenticator(),
                        "cloud.test", 443, 5000));
        assertTrue(credentialsReachedTheProxy(), received.toString());
        assertTrue(e.getMessage().contains("check proxy.username and proxy.password"), e.getMessage());
    }
}
