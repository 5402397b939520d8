package com.cloudextender.modules.support.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudextender.api.ProxyRoute;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ModuleHttpTest {
    private HttpServer server;
    private final List<String> seen = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void up() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            seen.add(ex.getRequestURI().toString() + " auth=" + ex.getRequestHeaders().getFirst("Authorization"));
            String path = ex.getRequestURI().getPath();
            if (path.endsWith("/redirect")) {
                ex.getResponseHeaders().add("Location", "http://elsewhere.invalid/steal");
                ex.sendResponseHeaders(302, -1);
            } else if (path.endsWith("/secret") && ex.getRequestHeaders().getFirst("Authorization") == null) {
                ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"r\"");
                ex.sendResponseHeaders(401, -1);
            } else if (path.endsWith("/slow")) {
                try {
                    Thread.sleep(3000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                ex.sendResponseHeaders(200, -1);
            } else {
                byte[] body = ("hello " + path).getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().add("Content-Type", "text/plain");
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
            }
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void down() {
        server.stop(0);
    }

    private String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Test
    void everyRequestAsksTheProxyDecisionAndReadsTheWholeAnswer() throws Exception {
        List<String> asked = Collections.synchronizedList(new ArrayList<>());
        try (ModuleHttp http = ModuleHttp.open((h, p) -> {
            asked.add(h + ":" + p);
            return Optional.empty();
        }, Optional.empty(), ModuleHttp.Options.defaults())) {
            HttpAnswer a = http.send(new HttpGet(base() + "/x"));
            assertEquals(200, a.status());
            assertEquals("hello /x", a.text());
            assertEquals("text/plain", a.contentType());
            assertEquals("text/plain", a.header("CONTENT-TYPE").orElseThrow());
            assertTrue(a.isSuccess());
        }
        assertEquals(List.of("127.0.0.1:" + server.getAddress().getPort()), asked);
    }

    @Test
    void aProxyRouteSendsTheAbsoluteRequestToTheProxy() throws Exception {
        int port = server.getAddress().getPort();
        // The test server stands in for the proxy: it records the request line's absolute URI.
        try (ModuleHttp http = ModuleHttp.open((h, p) -> Optional.of(new ProxyRoute("127.0.0.1", port, Optional.empty(),
                Optional.empty())), Optional.empty(), ModuleHttp.Options.defaults())) {
            assertEquals(200, http.send(new HttpGet("http://intranet.invalid:8080/y")).status());
        }
        assertTrue(seen.get(0).startsWith("http://intranet.invalid:8080/y"), seen.toString());
    }

    @Test
    void whenTheExtenderOffersSocketsEveryConnectionIsOpenedByThemWithTheNameUnresolved() throws Exception {
        int port = server.getAddress().getPort();
        List<String> connected = Collections.synchronizedList(new ArrayList<>());
        javax.net.SocketFactory sockets = new javax.net.SocketFactory() {
            @Override
            public java.net.Socket createSocket() {
                return new java.net.Socket() {
                    @Override
                    public void connect(java.net.SocketAddress a, int timeout) throws IOException {
                        connected.add(((InetSocketAddress) a).getHostString() + ":" + ((InetSocketAddress) a).getPort());
                        super.connect(new InetSocketAddress("127.0.0.1", port), timeout);
                    }
                };
            }

            @Override
            public java.net.Socket createSocket(String h, int p) {
                throw new UnsupportedOperationException();
            }

            @Override
            public java.net.Socket createSocket(String h, int p, java.net.InetAddress l, int lp) {
                throw new UnsupportedOperationException();
            }

            @Override
            public java.net.Socket createSocket(java.net.InetAddress h, int p) {
                throw new UnsupportedOperationException();
            }

            @Override
            public java.net.Socket createSocket(java.net.InetAddress h, int p, java.net.InetAddress l, int lp) {
                throw new UnsupportedOperationException();
            }
        };
        com.cloudextender.api.OutboundProxies extender = new com.cloudextender.api.OutboundProxies() {
            @Override
            public Optional<ProxyRoute> routeFor(String host, int p) {
                return Optional.empty();
            }

            @Override
            public Optional<javax.net.SocketFactory> tunnels() {
                return Optional.of(sockets);
            }
        };
        try (ModuleHttp http = ModuleHttp.open(extender, Optional.empty(), ModuleHttp.Options.defaults())) {
            // Only the extender's socket could reach this name: it is not resolvable here.
            assertEquals("hello /z", http.send(new HttpGet("http://intranet-only.invalid:" + port + "/z")).text());
        }
        assertEquals(List.of("intranet-only.invalid:" + port), connected);
    }

    @Test
    void aRedirectIsReturnedNotFollowed() throws Exception {
        try (ModuleHttp http = ModuleHttp.open((h, p) -> Optional.empty(), Optional.empty(), ModuleHttp.Options.defaults())) {
            HttpAnswer a = http.send(new HttpGet(base() + "/redirect"));
            assertEquals(302, a.status());
            assertEquals("http://elsewhere.invalid/steal", a.header("location").orElseThrow());
        }
        assertEquals(1, seen.size());
    }

    @Test
    void credentialsAreAnsweredOnlyForTheirOwnServer() throws Exception {
        try (ModuleHttp http = ModuleHttp.open((h, p) -> Optional.empty(), Optional.empty(), ModuleHttp.Options.defaults())) {
            http.authenticate(URI.create("http://other.invalid:" + server.getAddress().getPort()), "u", "p".toCharArray());
            assertEquals(401, http.send(new HttpGet(base() + "/secret")).status());
            http.authenticate(URI.create(base()), "u", "p".toCharArray());
            assertEquals(200, http.send(new HttpGet(base() + "/secret")).status());
        }
    }

    @Test
    void aSilentServerIsCutAtTheAnswerTimeLimit() throws Exception {
        ModuleHttp.Options quick = ModuleHttp.Options.defaults().withAnswerTimeout(Duration.ofMillis(300));
        try (ModuleHttp http = ModuleHttp.open((h, p) -> Optional.empty(), Optional.empty(), quick)) {
            long start = System.nanoTime();
            assertThrows(java.net.SocketTimeoutException.class, () -> http.send(new HttpGet(base() + "/slow")));
            assertTrue(System.nanoTime() - start < 2_500_000_000L, "cut long before the server answers");
        }
    }

    @Test
    void largeAnswersCanBeStreamed() throws Exception {
        try (ModuleHttp http = ModuleHttp.open((h, p) -> Optional.empty(), Optional.empty(), ModuleHttp.Options.defaults())) {
            int n = http.execute(new HttpGet(base() + "/stream"), response -> {
                try (InputStream in = response.getEntity().getContent()) {
                    return in.readAllBytes().length;
                }
            });
            assertEquals("hello /stream".length(), n);
        }
    }

    @Test
    void optionsRefuseNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new ModuleHttp.Options(Duration.ZERO, Duration.ofSeconds(1), 1));
        assertThrows(IllegalArgumentException.class, () -> new ModuleHttp.Options(Duration.ofSeconds(1), Duration.ofSeconds(1), 0));
    }
}
