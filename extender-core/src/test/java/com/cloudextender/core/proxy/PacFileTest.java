package com.cloudextender.core.proxy;

import com.cloudextender.api.ProxyRoute;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/** PAC files evaluated with proxy-vole's engine, served over HTTP and from a file URL. */
class PacFileTest {
    private static final String PAC = """
            function FindProxyForURL(url, host) {
              if (dnsDomainIs(host, ".intranet.test")) return "DIRECT";
              if (host == "cloud.example.com") return "PROXY squid.corp:3128";
              if (host == "fallback.example.com") return "PROXY dead.corp:1; PROXY alive.corp:2; DIRECT";
              if (host == "lastresort.example.com") return "PROXY dead.corp:1; DIRECT";
              return "PROXY other.corp:8080";
            }
            """;

    private static ProxySettings settings(Optional<java.net.URI> pac, Duration ttl) {
        return new ProxySettings(ProxyMode.AUTO, Optional.empty(), pac, java.util.List.of(ProxyAuth.BASIC),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), ttl, Optional.empty(),
                Optional.empty(), false, java.util.Set.of());
    }

    @Test
    void aServedPacFileDecidesPerHost() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/proxy.pac", ex -> {
            byte[] body = PAC.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/x-ns-proxy-autoconfig");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/proxy.pac";
            ProxyDecision d = new ProxyDiscovery(Map.of(), new Properties(), Optional::empty, Optional::empty)
                    .decide(settings(Optional.of(java.net.URI.create(url)), Duration.ofMinutes(5)));
            assertEquals(Optional.of(new ProxyRoute("squid.corp", 3128, Optional.empty(), Optional.empty())),
                    d.routeFor("cloud.example.com", 443));
            assertEquals(Optional.empty(), d.routeFor("www.intranet.test", 443));
            assertEquals("other.corp", d.routeFor("elsewhere.example.org", 443).orElseThrow().host());
            assertEquals("PAC file " + url + " says PROXY squid.corp:3128 for cloud.example.com:443",
                    d.describe("cloud.example.com", 443));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void fallbacksTakeTheFirstReachableEntry(@TempDir Path dir) throws Exception {
        Path pac = dir.resolve("proxy.pac");
        Files.writeString(pac, PAC);
        ProxySource source = ProxyDiscovery.pacFile(pac.toUri().toString());
        List<ProxyChoice> probed = new ArrayList<>();
        PerHostProxyDecision d = new PerHostProxyDecision(source, settings(Optional.empty(), Duration.ofMinutes(5)),
                p -> {
                    probed.add(p);
                    return !p.host().equals("dead.corp");
                }, Clock.systemUTC());
        assertEquals("alive.corp", d.routeFor("fallback.example.com", 443).orElseThrow().host());
        assertEquals(List.of(ProxyChoice.proxy("dead.corp", 1), ProxyChoice.proxy("alive.corp", 2)), probed);
        assertEquals(Optional.empty(), d.routeFor("lastresort.example.com", 443));
        assertEquals(source.description() + " says PROXY dead.corp:1; DIRECT for lastresort.example.com:443"
                + " (using DIRECT)", d.describe("lastresort.example.com", 443));
    }

    /**
     * An entry that is no proxy address is left out, said once in the log, and the entries after it are
     * still used (port 0 made the whole evaluation throw, a port proxy-vole cannot read made it DIRECT).
     */
    @ParameterizedTest
    @ValueSource(strings = {"PROXY dead.corp:0", "PROXY dead.corp:65536", "PROXY dead.corp:-1",
            "PROXY dead.corp:abc", "PROXY dead.corp:99999999999", "PROXY :3128"})
    void anEntryThatIsNoProxyAddressIsSkippedOnceLogged(String entry, @TempDir Path dir) throws Exception {
        Path pac = dir.resolve("proxy.pac");
        Files.writeString(pac, "function FindProxyForURL(url, host) { return \"" + entry
                + "; PROXY alive.corp:8080; DIRECT\"; }");
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        Logger[] loggers = {(Logger) LoggerFactory.getLogger(SelectorProxies.class),
                (Logger) LoggerFactory.getLogger(PacFileSelector.class)};
        for (Logger l : loggers) {
            l.addAppender(log);
        }
        try {
            ProxySource source = ProxyDiscovery.pacFile(pac.toUri().toString());
            for (int i = 0; i < 3; i++) {
                assertEquals(List.of(ProxyChoice.proxy("alive.corp", 8080), ProxyChoice.DIRECT),
                        source.choicesFor("cloud.example.com", 443));
            }
            List<String> warnings = log.list.stream().filter(e -> e.getLevel() == Level.WARN)
                    .map(ILoggingEvent::getFormattedMessage).toList();
            assertEquals(1, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).contains("\"" + entry + "\"") && warnings.get(0).contains(source.description()),
                    warnings.get(0));
        } finally {
            for (Logger l : loggers) {
                l.detachAppender(log);
            }
        }
    }

    @Test
    void decisionsAreKeptForTheTtlThenEvaluatedAgain() {
        AtomicInteger asked = new AtomicInteger();
        ProxySource counting = new ProxySource() {
            @Override
            public String description() {
                return "test source";
            }

            @Override
            public List<ProxyChoice> choicesFor(String host, int port) {
                asked.incrementAndGet();
                return List.of(ProxyChoice.proxy("p" + asked.get(), 3128));
            }
        };
        MutableClock clock = new MutableClock();
        PerHostProxyDecision d = new PerHostProxyDecision(counting, settings(Optional.empty(), Duration.ofMinutes(5)),
                p -> true, clock);
        assertEquals("p1", d.routeFor("a.example", 443).orElseThrow().host());
        clock.now = clock.now.plus(Duration.ofMinutes(4));
        assertEquals("p1", d.routeFor("a.example", 443).orElseThrow().host());
        assertEquals(1, asked.get());
        assertEquals("p2", d.routeFor("b.example", 443).orElseThrow().host(), "each destination has its own entry");
        clock.now = clock.now.plus(Duration.ofMinutes(2));
        assertEquals("p3", d.routeFor("a.example", 443).orElseThrow().host());
        assertEquals(3, asked.get());
    }

    private static final class MutableClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
