package com.cloudextender.core.proxy.auth;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;

/**
 * NTLMv2 over HTTP: NEGOTIATE, the proxy's CHALLENGE, AUTHENTICATE, all on one connection (the proxy binds
 * the login to it).
 */
final class NtlmLogin implements SchemeLogin {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final NtlmUser user;
    private final char[] password;
    private final Clock clock;
    private byte[] negotiate;
    private boolean authenticated;

    NtlmLogin(NtlmUser user, char[] password, Clock clock) {
        this.user = user;
        this.password = password;
        this.clock = clock;
    }

    @Override
    public String answer(Challenge challenge) throws LoginFailure {
        if (negotiate == null) {
            negotiate = Ntlmv2.negotiate();
            return "NTLM " + Base64.getEncoder().encodeToString(negotiate);
        }
        if (challenge.token().isEmpty() || authenticated) {
            throw new LoginFailure(rejection());
        }
        Ntlmv2.Challenge c;
        try {
            c = Ntlmv2.readChallenge(Base64.getDecoder().decode(challenge.token().get()));
        } catch (IllegalArgumentException e) {
            throw new LoginFailure("NTLM: the proxy's challenge is unusable: " + e.getMessage(), e);
        }
        byte[] clientChallenge = new byte[8];
        RANDOM.nextBytes(clientChallenge);
        authenticated = true;
        byte[] message = Ntlmv2.authenticate(negotiate, c, user.name(), user.domain(), user.workstation(), password,
                clientChallenge, Ntlmv2.fileTime(clock.instant()));
        return "NTLM " + Base64.getEncoder().encodeToString(message);
    }

    @Override
    public boolean continues(Challenge challenge) {
        return negotiate != null && !authenticated && challenge.token().isPresent();
    }

    @Override
    public boolean connectionBound() {
        return true;
    }

    @Override
    public String rejection() {
        if (!authenticated) {
            return "NTLM: the proxy did not answer the NTLM negotiation with a challenge";
        }
        return "NTLM as " + user + ": the proxy rejected the login (wrong user name, domain or password, a locked "
                + "or expired account, or a proxy that does not accept NTLMv2; check proxy.username, proxy.domain "
                + "and proxy.password)";
    }
}
