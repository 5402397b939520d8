package com.cloudextender.core.proxy.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class ChallengeTest {
    @Test
    void oneHeaderMayCarrySeveralChallengesInTheProxysOrder() {
        List<Challenge> c = Challenge.parse(List.of("Negotiate, NTLM, Basic realm=\"Squid, proxy\", charset=\"UTF-8\""));
        assertEquals(List.of("Negotiate", "NTLM", "Basic"), c.stream().map(Challenge::scheme).toList());
        assertEquals("realm=\"Squid, proxy\", charset=\"UTF-8\"", c.get(2).params());
        assertEquals(Optional.empty(), c.get(2).token());
    }

    @Test
    void tokensAreKeptAndHeadersStayInOrder() {
        List<Challenge> c = Challenge.parse(List.of("NTLM TlRMTVNTUAACAAAA==", "Basic realm=x"));
        assertEquals(Optional.of("TlRMTVNTUAACAAAA=="), c.get(0).token());
        assertEquals("Basic", c.get(1).scheme());
        assertEquals("NTLM, Basic", Challenge.names(c));
    }

    @Test
    void schemeNamesInMessagesAreEscapedAndCut() {
        List<Challenge> c = Challenge.parse(List.of("NTLM", "Evil\u001b[2J" + "x".repeat(100)));
        String names = Challenge.names(c);
        assertEquals("NTLM, Evil\\u001b[2J" + "x".repeat(24) + "…[+76 chars]", names);
    }

    @Test
    void schemeNamesIgnoreCase() {
        assertEquals(true, Challenge.parse(List.of("ntlm")).get(0).is("NTLM"));
    }
}
