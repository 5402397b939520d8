package com.cloudextender.core.proxy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.cloudextender.api.ProxyRoute;
import com.cloudextender.core.proxy.auth.ProxyAuthenticator;

/** What a proxy writes in its status line reaches messages and logs only escaped. */
class ConnectExchangeTest {
    @Test
    void aProxysStatusLineIsEscapedInTheRefusal() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread proxy = new Thread(() -> {
                try (Socket s = server.accept()) {
                    InputStream in = s.getInputStream();
                    int state = 0;
                    while (state < 4) {
                        int b = in.read();
                        if (b < 0) {
                            return;
                        }
                        state = (b == '\r' && state % 2 == 0) || (b == '\n' && state % 2 == 1) ? state + 1 : 0;
                    }
                    s.getOutputStream().write("HTTP/1.1 403 No\u001b[2Jentry\r\nContent-Length: 0\r\n\r\n"
                            .getBytes(StandardCharsets.ISO_8859_1));
                } catch (java.io.IOException e) {
                    // the test fails on the client side
                }
            });
            proxy.start();
            ProxyRoute route = new ProxyRoute("127.0.0.1", server.getLocalPort(), Optional.empty(), Optional.empty());
            ProxyException e = assertThrows(ProxyException.class,
                    () -> HttpConnectTunnel.open(route, ProxyAuthenticator.standard(), "cloud.test", 443, 5000));
            proxy.join(5000);
            assertTrue(e.getMessage().contains("403 No\\u001b[2Jentry"), e.getMessage());
            assertFalse(e.getMessage().contains("\u001b"), e.getMessage());
        }
    }
}
