package com.cloudextender.core.proxy.auth;

import java.util.Base64;

/** RFC 4559 Negotiate with a Kerberos ticket for the proxy's {@code HTTP/host} principal. */
final class NegotiateLogin implements SchemeLogin {
    private final KerberosClient kerberos;
    private final String proxyHost;
    private KerberosClient.GssStep step;

    NegotiateLogin(KerberosClient kerberos, String proxyHost) {
        this.kerberos = kerberos;
        this.proxyHost = proxyHost;
    }

    @Override
    public String answer(Challenge challenge) throws LoginFailure {
        byte[] in;
        if (step == null) {
            step = kerberos.start(proxyHost);
            in = new byte[0];
        } else if (challenge.token().isPresent()) {
            try {
                in = Base64.getDecoder().decode(challenge.token().get());
            } catch (IllegalArgumentException e) {
                throw new LoginFailure("Negotiate: the proxy's token is not base64");
            }
        } else {
            throw new LoginFailure(rejection());
        }
        byte[] out = step.next(in);
        if (out == null || out.length == 0) {
            throw new LoginFailure("Negotiate: the Kerberos exchange produced no token for the proxy");
        }
        return "Negotiate " + Base64.getEncoder().encodeToString(out);
    }

    @Override
    public boolean continues(Challenge challenge) {
        return step != null && !step.established() && challenge.token().isPresent();
    }

    @Override
    public boolean connectionBound() {
        return false;
    }

    @Override
    public String rejection() {
        return "Negotiate (Kerberos, " + kerberos.source() + "): the proxy rejected the ticket for HTTP/" + proxyHost
                + " (is proxy.host the name in the proxy's keytab, and is its keytab current?)";
    }
}
