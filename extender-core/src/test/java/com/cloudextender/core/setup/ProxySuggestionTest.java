package com.cloudextender.core.setup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import com.cloudextender.api.ProxyRoute;
import com.cloudextender.core.proxy.ProxyDecision;
import com.cloudextender.core.proxy.ProxyDiscovery;

class ProxySuggestionTest {
    private static ProxyDiscovery discovery(Map<String, String> env) {
        return new ProxyDiscovery(env, new Properties(), Optional::empty, Optional::empty);
    }

    @Test
    void theConfiguredProxyWins() {
        ProxyRoute configured = new ProxyRoute("squid.corp", 3128, Optional.of("cx"), Optional.of("pw"));
        ProxySuggestion s = ProxySuggestion.find(ProxyDecision.fixed(configured),
                discovery(Map.of("HTTPS_PROXY", "http://other:8080")), "cloud.example.com", 443);
        assertEquals(Optional.of(configured), s.route());
        assertEquals("configured in extender.properties", s.source());
    }

    @Test
    void otherwiseTheExtendersOwnDiscoveryIsOfferedWithoutItsCredentials() {
        ProxySuggestion s = ProxySuggestion.find(ProxyDecision.direct(),
                discovery(Map.of("HTTPS_PROXY", "http://u:secret@proxy.corp:8080", "NO_PROXY", "intranet.corp")),
                "cloud.example.com", 443);
        assertEquals(Optional.of(new ProxyRoute("proxy.corp", 8080, Optional.empty(), Optional.empty())), s.route());
        assertTrue(s.source().startsWith("detected: "), s.source());
        assertTrue(!s.source().contains("secret"), s.source());

        ProxySuggestion excluded = ProxySuggestion.find(ProxyDecision.direct(),
                discovery(Map.of("HTTPS_PROXY", "http://proxy.corp:8080", "NO_PROXY", "example.com")),
                "cloud.example.com", 443);
        assertEquals(Optional.empty(), excluded.route(), "NO_PROXY covers the cloud's host");
    }

    @Test
    void nothingConfiguredOrDiscoveredMeansDirect() {
        ProxySuggestion s = ProxySuggestion.find(ProxyDecision.direct(), discovery(Map.of()), "cloud.example.com", 443);
        assertEquals(Optional.empty(), s.route());
        assertEquals("none configured or detected", s.source());
    }
}
