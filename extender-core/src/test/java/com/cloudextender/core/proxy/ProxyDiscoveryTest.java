package com.cloudextender.core.proxy;

import com.cloudextender.api.ProxyRoute;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ProxySelector;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

class ProxyDiscoveryTest {
    private static final Supplier<Optional<ProxySelector>> NOTHING = Optional::empty;

    private static ProxySettings auto() {
        return auto(false, Set.of());
    }

    private static ProxySettings auto(boolean wpad, Set<ProxyChoice> credentialsFor) {
        return new ProxySettings(ProxyMode.AUTO, Optional.empty(), Optional.empty(), List.of(ProxyAuth.BASIC),
                Optional.of("u"), Optional.of("pw"), Optional.empty(), Optional.empty(), Duration.ofMinutes(5),
                Optional.empty(), Optional.empty(), wpad, credentialsFor);
    }

    @Test
    void environmentGivesTheProxyAndNoProxyTheExceptions() {
        ProxyDiscovery d = new ProxyDiscovery(Map.of("https_proxy", "http://proxy.corp:8080/",
                "NO_PROXY", ".corp,localhost"), new Properties(), NOTHING, NOTHING);
        ProxyDecision decision = d.decide(auto(false, Set.of(ProxyChoice.proxy("Proxy.Corp", 8080))));
        assertEquals(Optional.of(new ProxyRoute("proxy.corp", 8080, Optional.of("u"), Optional.of("pw"))),
                decision.routeFor("cloud.example.com", 443), "listed in proxy.credentialsFor (any case)");
        assertEquals(Optional.empty(), decision.routeFor("ldap.corp", 636));
        assertEquals(Optional.empty(), decision.routeFor("localhost", 443));
        assertTrue(decision.describe("cloud.example.com", 443)
                .startsWith("environment variable https_proxy"), decision.describe("cloud.example.com", 443));
    }

    @Test
    void uppercaseEnvironmentComesFirstAndAUrlWithoutSchemeIsHttp() {
        ProxyDiscovery d = new ProxyDiscovery(Map.of("HTTPS_PROXY", "upper:3128", "https_proxy", "lower:3128"),
                new Properties(), NOTHING, NOTHING);
        assertEquals("upper", d.decide(auto()).routeFor("h", 443).orElseThrow().host());
    }

    @Test
    void aMalformedEnvironmentProxyIsNamed() {
        ProxyDiscovery d = new ProxyDiscovery(Map.of("HTTPS_PROXY", "socks5://s:1080"), new Properties(),
                NOTHING, NOTHING);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.decide(auto()));
        assertTrue(e.getMessage().startsWith("HTTPS_PROXY: "), e.getMessage());
    }

    @Test
    void javaPropertiesComeAfterTheEnvironment() {
        Properties p = new Properties();
        p.setProperty("https.proxyHost", "javaproxy");
        p.setProperty("https.proxyPort", "3129");
        p.setProperty("http.nonProxyHosts", "*.internal|localhost");
        ProxyDecision fromProps = new ProxyDiscovery(Map.of(), p, NOTHING, NOTHING).decide(auto());
        assertEquals(3129, fromProps.routeFor("cloud.example.com", 443).orElseThrow().port());
        assertEquals(Optional.empty(), fromProps.routeFor("db.internal", 443));
        ProxyDecision envWins = new ProxyDiscovery(Map.of("HTTPS_PROXY", "envproxy:1"), p, NOTHING, NOTHING)
                .decide(auto());
        assertEquals("envproxy", envWins.routeFor("cloud.example.com", 443).orElseThrow().host());
    }

    @Test
    void explicitBeatsEverythingDiscovered() {
        ProxySettings explicit = new ProxySettings(ProxyMode.EXPLICIT, Optional.of(ProxyChoice.proxy("mine", 3128)),
                Optional.empty(), List.of(ProxyAuth.BASIC), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Duration.ofMinutes(5), Optional.empty(), Optional.empty(), false, Set.of());
        Properties p = new Properties();
        p.setProperty("https.proxyHost", "javaproxy");
        ProxyDecision d = new ProxyDiscovery(Map.of("HTTPS_PROXY", "envproxy:1"), p, NOTHING, NOTHING)
                .decide(explicit);
        assertEquals("mine", d.routeFor("cloud.example.com", 443).orElseThrow().host());
        assertEquals("proxy.host says PROXY mine:3128 for cloud.example.com:443", d.describe("cloud.example.com", 443));
    }

    @Test
    void noneIgnoresTheEnvironment() {
        ProxySettings none = ProxySettings.none();
        ProxyDecision d = new ProxyDiscovery(Map.of("HTTPS_PROXY", "envproxy:1"), new Properties(), NOTHING, NOTHING)
                .decide(none);
        assertEquals(Optional.empty(), d.routeFor("cloud.example.com", 443));
    }

    @Test
    void wpadIsNotAskedUnlessTurnedOnAndItsProxyGetsNoCredentialsUnlessListed() {
        AtomicInteger wpadAsked = new AtomicInteger();
        Supplier<Optional<ProxySelector>> wpad = () -> {
            wpadAsked.incrementAndGet();
            return Optional.of(new StaticSelector("wpadproxy", 3128));
        };
        ProxyDecision off = new ProxyDiscovery(Map.of(), new Properties(), NOTHING, wpad).decide(auto());
        assertEquals(0, wpadAsked.get(), "WPAD is opt-in");
        assertEquals(Optional.empty(), off.routeFor("cloud.example.com", 443));
        assertTrue(off.describe("cloud.example.com", 443).contains("WPAD is off, proxy.wpad"),
                off.describe("cloud.example.com", 443));

        ProxyDecision on = new ProxyDiscovery(Map.of(), new Properties(), NOTHING, wpad).decide(auto(true, Set.of()));
        assertEquals(new ProxyRoute("wpadproxy", 3128, Optional.empty(), Optional.empty()),
                on.routeFor("cloud.example.com", 443).orElseThrow(), "whoever answers wpad gets no password");
        assertTrue(on.describe("cloud.example.com", 443).endsWith("no credentials sent to it (not in "
                + "proxy.credentialsFor)"), on.describe("cloud.example.com", 443));

        ProxyDecision listed = new ProxyDiscovery(Map.of(), new Properties(), NOTHING, wpad)
                .decide(auto(true, Set.of(ProxyChoice.proxy("wpadproxy", 3128))));
        assertEquals(Optional.of("pw"), listed.routeFor("cloud.example.com", 443).orElseThrow().password());
        ProxyDecision otherPort = new ProxyDiscovery(Map.of(), new Properties(), NOTHING, wpad)
                .decide(auto(true, Set.of(ProxyChoice.proxy("wpadproxy", 8080))));
        assertEquals(Optional.empty(), otherPort.routeFor("cloud.example.com", 443).orElseThrow().password(),
                "the port is part of the listed proxy");
    }

    @Test
    void environmentAndOsProxiesGetNoCredentialsUnlessListed() {
        ProxyDecision env = new ProxyDiscovery(Map.of("HTTPS_PROXY", "http://envproxy:3128"), new Properties(),
                NOTHING, NOTHING).decide(auto());
        assertEquals(Optional.empty(), env.routeFor("cloud.example.com", 443).orElseThrow().username());
        ProxyDecision os = new ProxyDiscovery(Map.of(), new Properties(),
                () -> Optional.of(new StaticSelector("osproxy", 8080)), NOTHING).decide(auto());
        assertEquals(Optional.empty(), os.routeFor("cloud.example.com", 443).orElseThrow().username());
    }

    @Test
    void osSettingsComeBeforeWpadAndNothingFoundIsDirect() {
        AtomicInteger wpadAsked = new AtomicInteger();
        ProxySelector os = new StaticSelector("osproxy", 8080);
        ProxyDecision d = new ProxyDiscovery(Map.of(), new Properties(), () -> Optional.of(os), () -> {
            wpadAsked.incrementAndGet();
            return Optional.empty();
        }).decide(auto(true, Set.of()));
        assertEquals("osproxy", d.routeFor("cloud.example.com", 443).orElseThrow().host());
        assertEquals(0, wpadAsked.get());
        ProxyDecision none = new ProxyDiscovery(Map.of(), new Properties(), NOTHING, NOTHING).decide(auto());
        assertEquals(Optional.empty(), none.routeFor("cloud.example.com", 443));
        assertTrue(none.describe("cloud.example.com", 443).startsWith("no proxy found"));
    }

    @Test
    void allowedSchemesAreCarriedWithTheDecision() {
        ProxySettings ntlm = new ProxySettings(ProxyMode.EXPLICIT, Optional.of(ProxyChoice.proxy("p", 3128)),
                Optional.empty(), List.of(ProxyAuth.NTLM, ProxyAuth.BASIC), Optional.of("u"), Optional.of("pw"),
                Optional.of("CORP"), Optional.of("WS1"), Duration.ofMinutes(5), Optional.empty(), Optional.empty(),
                false, Set.of());
        ProxyDecision d = new ProxyDiscovery(Map.of(), new Properties(), NOTHING, NOTHING).decide(ntlm);
        assertEquals("ntlm,basic", d.authenticator().allowedNames());
        assertEquals("p", d.routeFor("h", 443).orElseThrow().host());
    }

    /** A selector that always answers one HTTP proxy, like an OS setting would. */
    static final class StaticSelector extends ProxySelector {
        private final java.net.Proxy proxy;

        StaticSelector(String host, int port) {
            proxy = new java.net.Proxy(java.net.Proxy.Type.HTTP, java.net.InetSocketAddress.createUnresolved(host, port));
        }

        @Override
        public java.util.List<java.net.Proxy> select(java.net.URI uri) {
            return java.util.List.of(proxy);
        }

        @Override
        public void connectFailed(java.net.URI uri, java.net.SocketAddress sa, java.io.IOException ioe) {
        }
    }
}
