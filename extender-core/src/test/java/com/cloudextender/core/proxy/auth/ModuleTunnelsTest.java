package com.cloudextender.core.proxy.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

import javax.net.SocketFactory;

import org.junit.jupiter.api.Test;

import com.cloudextender.api.OutboundProxies;
import com.cloudextender.api.ProxyRoute;
import com.cloudextender.core.proxy.ModuleProxies;
import com.cloudextender.core.proxy.ProxyAuth;
import com.cloudextender.core.proxy.ProxyDecision;

/** Modules' connections authenticate to the proxy through the core, with the schemes the administrator allows. */
class ModuleTunnelsTest {
    @Test
    void aModulesSocketAnswersAnNtlmOnlyProxyWithoutHoldingThePassword() throws Exception {
        try (FakeProxy proxy = new FakeProxy(List.of("NTLM"), "jsmith", "CORP", "Secret-1")) {
            ProxyRoute route = new ProxyRoute("127.0.0.1", proxy.port(), Optional.of("CORP\\jsmith"), Optional.of("Secret-1"));
            Clock c = Clock.systemUTC();
            ProxyDecision decision = ProxyDecision.fixed(route).withAuthenticator(new ProxyAuthenticator(
                    List.of(ProxyAuth.NEGOTIATE, ProxyAuth.NTLM), Optional.empty(), "WS",
                    new KerberosClient(Optional.empty(), Optional.empty(), c), c));
            OutboundProxies modules = ModuleProxies.of(decision);
            assertEquals(Optional.empty(), modules.routeFor("intranet.example", 443).orElseThrow().password(),
                    "NTLM only: the module never sees the password");
            SocketFactory sockets = modules.tunnels().orElseThrow();
            try (Socket s = sockets.createSocket()) {
                s.connect(InetSocketAddress.createUnresolved("intranet.example", 443), 5000);
                OutputStream out = s.getOutputStream();
                out.write("ping".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = s.getInputStream();
                assertEquals("ping", new String(in.readNBytes(4), StandardCharsets.US_ASCII), "the tunnel echoes");
            }
            assertTrue(proxy.requests.stream().anyMatch(r -> r.head().get(0).startsWith("CONNECT intranet.example:443")
                    && r.authorization().map(a -> a.startsWith("NTLM ")).orElse(false)), proxy.requests.toString());
        }
    }

    @Test
    void aSocketTheFactoryConnectsHasAChannelForNonBlockingFrameworks() throws Exception {
        try (FakeProxy proxy = new FakeProxy(List.of("NTLM"), "jsmith", "CORP", "Secret-1")) {
            ProxyRoute route = new ProxyRoute("127.0.0.1", proxy.port(), Optional.of("CORP\\jsmith"), Optional.of("Secret-1"));
            Clock c = Clock.systemUTC();
            OutboundProxies modules = ModuleProxies.of(ProxyDecision.fixed(route).withAuthenticator(new ProxyAuthenticator(
                    List.of(ProxyAuth.NTLM), Optional.empty(), "WS", new KerberosClient(Optional.empty(), Optional.empty(), c), c)));
            try (Socket s = modules.tunnels().orElseThrow().createSocket("relay.example", 443)) {
                java.nio.channels.SocketChannel ch = s.getChannel();
                assertTrue(ch != null && ch.isConnected(), "a connected channel");
                ch.configureBlocking(false); // what Netty does when it takes the connection over
                ch.write(java.nio.ByteBuffer.wrap("pong".getBytes(StandardCharsets.US_ASCII)));
                java.nio.ByteBuffer in = java.nio.ByteBuffer.allocate(4);
                long end = System.nanoTime() + 5_000_000_000L;
                while (in.hasRemaining() && System.nanoTime() < end) {
                    ch.read(in);
                    Thread.sleep(5);
                }
                assertEquals("pong", new String(in.array(), StandardCharsets.US_ASCII), "the NTLM tunnel echoes");
            }
        }
    }

    @Test
    void aConnectionToTheProxyItselfIsDirect() throws Exception {
        try (FakeProxy proxy = new FakeProxy(List.of("Basic realm=\"x\""), "u", "", "p")) {
            ProxyRoute route = new ProxyRoute("127.0.0.1", proxy.port(), Optional.empty(), Optional.empty());
            OutboundProxies modules = ModuleProxies.of(ProxyDecision.fixed(route));
            try (Socket s = modules.tunnels().orElseThrow().createSocket()) {
                s.connect(InetSocketAddress.createUnresolved("127.0.0.1", proxy.port()), 5000);
                s.getOutputStream().write("GET http://x.example/ HTTP/1.1\r\nHost: x.example\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                String status = new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
                assertTrue(status.startsWith("HTTP/1."), status);
            }
            assertTrue(proxy.requests.stream().noneMatch(r -> r.head().get(0).startsWith("CONNECT")),
                    "not tunnelled through itself: " + proxy.requests);
        }
    }
}
