package com.cloudextender.core.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.cloudextender.api.ProxyRoute;
import com.cloudextender.core.proxy.auth.KerberosClient;
import com.cloudextender.core.proxy.auth.ProxyAuthenticator;

class ModuleProxiesTest {
    private static final ProxyRoute ROUTE = new ProxyRoute("p", 3128, Optional.of("CORP\\jsmith"), Optional.of("pw"));

    private static ProxyDecision allowing(ProxyAuth... schemes) {
        Clock c = Clock.systemUTC();
        return ProxyDecision.fixed(ROUTE).withAuthenticator(new ProxyAuthenticator(List.of(schemes), Optional.empty(),
                "WS", new KerberosClient(Optional.empty(), Optional.empty(), c), c));
    }

    @Test
    void modulesGetNoPasswordUnlessBasicIsAllowed() {
        ProxyRoute route = ModuleProxies.of(allowing(ProxyAuth.NEGOTIATE, ProxyAuth.NTLM)).routeFor("h", 443)
                .orElseThrow();
        assertEquals(Optional.empty(), route.username());
        assertEquals(Optional.empty(), route.password());
        assertEquals("p", route.host());
    }

    @Test
    void modulesGetTheCredentialsWhenBasicIsAllowed() {
        assertEquals(Optional.of(ROUTE), ModuleProxies.of(allowing(ProxyAuth.NTLM, ProxyAuth.BASIC)).routeFor("h", 443));
    }
}
