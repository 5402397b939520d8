package com.cloudextender.core.proxy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NoProxyRuleTest {
    @Test
    void domainEntriesMatchTheHostAndItsSubdomainsOnly() {
        NoProxyRule r = NoProxyRule.parse("example.com, .corp.local,*.lab.test");
        assertTrue(r.matches("example.com", 443));
        assertTrue(r.matches("api.example.com", 443));
        assertFalse(r.matches("notexample.com", 443));
        assertTrue(r.matches("corp.local", 443));
        assertTrue(r.matches("a.b.corp.local", 443));
        assertTrue(r.matches("x.lab.test", 443));
        assertFalse(r.matches("cloud.example.org", 443));
    }

    @Test
    void portsAddressesAndRanges() {
        NoProxyRule r = NoProxyRule.parse("internal:8443 10.0.0.0/8,192.168.1.5,[::1]");
        assertTrue(r.matches("internal", 8443));
        assertFalse(r.matches("internal", 443));
        assertTrue(r.matches("10.20.30.40", 443));
        assertFalse(r.matches("11.0.0.1", 443));
        assertTrue(r.matches("192.168.1.5", 443));
        assertFalse(r.matches("192.168.1.6", 443));
        assertTrue(r.matches("::1", 443));
    }

    @Test
    void starMatchesEverythingAndEmptyMatchesNothing() {
        assertTrue(NoProxyRule.parse("*").matches("anything.example", 1));
        assertFalse(NoProxyRule.parse("").matches("anything.example", 1));
        assertFalse(NoProxyRule.parse(null).matches("anything.example", 1));
    }
}
