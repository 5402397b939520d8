package com.cloudextender.core.proxy;

import com.cloudextender.api.ProxyRoute;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

/** A scripted proxy on loopback: reads the CONNECT head, answers as told, then echoes. */
class HttpConnectTunnelTest {
    private static CompletableFuture<List<String>> proxy(ServerSocket server, String answer) {
        return CompletableFuture.supplyAsync(() -> {
            try (Socket s = server.accept()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
                List<String> head = new ArrayList<>();
                for (String line; (line = in.readLine()) != null && !line.isEmpty();) {
                    head.add(line);
                }
                OutputStream out = s.getOutputStream();
                out.write(answer.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                if (answer.startsWith("HTTP/1.1 200")) {
                    int b = in.read();
                    out.write(b); // echo one byte through the "tunnel"
                    out.flush();
                }
                return head;
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
    }

    @Test
    void tunnelsWithBasicCredentials() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            var heads = proxy(server, "HTTP/1.1 200 Connection established\r\nVia: test\r\n\r\n");
            ProxyRoute route = new ProxyRoute("127.0.0.1", server.getLocalPort(), Optional.of("alice"), Optional.of("pw:1"));
            try (Socket s = HttpConnectTunnel.open(route, "cloud.test", 443, 5000)) {
                s.getOutputStream().write('x');
                assertEquals('x', s.getInputStream().read(), "bytes after the head belong to the tunnel");
            }
            List<String> head = heads.get();
            assertEquals("CONNECT cloud.test:443 HTTP/1.1", head.get(0));
            String expected = "Proxy-Authorization: Basic "
                    + Base64.getEncoder().encodeToString("alice:pw:1".getBytes(StandardCharsets.UTF_8));
            assertTrue(head.contains(expected), head.toString());
        }
    }

    @Test
    void refusalNamesProxyDestinationAndWhatToDo() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            proxy(server, "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"corp\"\r\n\r\n");
            ProxyRoute route = new ProxyRoute("127.0.0.1", server.getLocalPort(), Optional.empty(), Optional.empty());
            ProxyException e = assertThrows(ProxyException.class, () -> HttpConnectTunnel.open(route, "cloud.test", 443, 5000));
            assertTrue(e.getMessage().contains("refused CONNECT cloud.test:443: HTTP/1.1 407"), e.getMessage());
            assertTrue(e.getMessage().contains("proxy.username"), e.getMessage());
            assertTrue(e.getMessage().contains("Basic realm"), e.getMessage());
        }
    }

    @Test
    void passwordIsNotInTheRouteDescription() {
        ProxyRoute route = new ProxyRoute("p", 3128, Optional.of("alice"), Optional.of("Secret-Pw"));
        assertTrue(!route.toString().contains("Secret-Pw"));
    }
}
