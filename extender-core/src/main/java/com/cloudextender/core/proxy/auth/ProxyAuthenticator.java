package com.cloudextender.core.proxy.auth;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.cloudextender.api.ProxyRoute;
import com.cloudextender.core.proxy.ProxyAuth;

/**
 * The one proxy login of the extender, used by every outbound connection through a proxy. It sends no
 * credential until the proxy's 407 names a scheme; then it tries the schemes the proxy offers, in the
 * proxy's order, restricted to those the administrator allows ({@code proxy.authSchemes}): Negotiate
 * (Kerberos), NTLMv2 and Basic. NTLM stays on one connection from NEGOTIATE to the accepted request. When
 * nothing works, the error lists what was offered, tried and why each failed. Thread-safe.
 */
public final class ProxyAuthenticator {
    /** {@code proxy.authSchemes} when not configured: never Basic, which would show the password to the proxy link. */
    public static final List<ProxyAuth> DEFAULT_SCHEMES = List.of(ProxyAuth.NEGOTIATE, ProxyAuth.NTLM);
    private static final Logger LOG = LoggerFactory.getLogger(ProxyAuthenticator.class);
    private static final int MAX_ROUNDS = 6;

    private final List<ProxyAuth> allowed;
    private final Optional<String> domain;
    private final String workstation;
    private final KerberosClient kerberos;
    private final ProxyAuthStatus status;
    private final Clock clock;

    /**
     * @param allowed     the schemes the administrator allows
     * @param domain      {@code proxy.domain}: the NTLM domain, when not written in the user name
     * @param workstation this machine's name for NTLM
     * @param kerberos    the Kerberos identity for Negotiate
     */
    public ProxyAuthenticator(List<ProxyAuth> allowed, Optional<String> domain, String workstation,
            KerberosClient kerberos, Clock clock) {
        this.allowed = List.copyOf(allowed);
        this.domain = domain;
        this.workstation = workstation;
        this.kerberos = kerberos;
        this.clock = clock;
        this.status = new ProxyAuthStatus(clock);
    }

    /** The defaults: Negotiate with the service account's ticket cache, then NTLM; never Basic. */
    public static ProxyAuthenticator standard() {
        Clock c = Clock.systemUTC();
        return new ProxyAuthenticator(DEFAULT_SCHEMES, Optional.empty(), "EXTENDER",
                new KerberosClient(Optional.empty(), Optional.empty(), c), c);
    }

    /** The schemes allowed, in {@code proxy.authSchemes} spelling. */
    public String allowedNames() {
        return allowed.stream().map(ProxyAuth::configName).collect(Collectors.joining(","));
    }

    /** Whether the administrator allows {@code scheme}. */
    public boolean allows(ProxyAuth scheme) {
        return allowed.contains(scheme);
    }

    public ProxyAuthStatus status() {
        return status;
    }

    /** The accepted answer and the scheme that got it ({@code none} when the proxy asked for nothing). */
    public record Outcome(ProxyAnswer answer, String scheme, List<Challenge> offered) {
    }

    /**
     * Runs the request through {@code proxy}, answering its challenges.
     *
     * @param what for messages, for example {@code CONNECT cloud.example.com:443}
     * @return the proxy's first answer that is not 407
     * @throws ProxyAuthException when the proxy still answers 407 after every allowed scheme was tried
     */
    public Outcome login(ProxyRoute proxy, String what, ProxyExchange exchange) throws IOException {
        String where = proxy.host() + ":" + proxy.port();
        ProxyAnswer answer = exchange.send(Optional.empty(), false);
        if (answer.status() != 407) {
            status.succeeded(where, List.of(), "none");
            return new Outcome(answer, "none", List.of());
        }
        List<Challenge> offered = answer.challenges();
        List<String> attempts = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (Challenge first : offered) {
            String name = first.scheme().toLowerCase(Locale.ROOT);
            if (!seen.add(name)) {
                continue;
            }
            Optional<ProxyAuth> scheme = known(first);
            if (scheme.isEmpty()) {
                attempts.add(first.scheme() + ": not supported by the extender");
                continue;
            }
            if (!allowed.contains(scheme.get())) {
                attempts.add(notAllowed(scheme.get()));
                continue;
            }
            SchemeLogin login;
            try {
                login = loginFor(scheme.get(), proxy);
            } catch (LoginFailure f) {
                attempts.add(f.getMessage());
                continue;
            }
            // The latest 407 carries this scheme's current challenge (after a failed scheme, a fresh one).
            Optional<Challenge> challenge = challengeOf(answer, scheme.get()).or(() -> Optional.of(first));
            try {
                for (int round = 0; round < MAX_ROUNDS; round++) {
                    String authorization = login.answer(challenge.get());
                    answer = exchange.send(Optional.of(authorization), round > 0 && login.connectionBound());
                    if (answer.status() != 407) {
                        String used = scheme.get().headerName();
                        status.succeeded(where, offered, used);
                        LOG.debug("Proxy {} accepted {} for {}", where, used, what);
                        return new Outcome(answer, used, offered);
                    }
                    challenge = challengeOf(answer, scheme.get());
                    if (challenge.isEmpty() || !login.continues(challenge.get())) {
                        attempts.add(login.rejection());
                        break;
                    }
                }
            } catch (LoginFailure f) {
                attempts.add(f.getMessage());
            } catch (ConnectionLost e) {
                attempts.add(scheme.get().headerName() + ": " + e.getMessage());
            }
        }
        String message = "proxy " + where + " refused " + what + ": HTTP 407 Proxy Authentication Required. It offers "
                + Challenge.names(offered) + "; allowed (proxy.authSchemes): " + allowedNames() + ". "
                + (attempts.isEmpty() ? "Nothing could be tried" : String.join("; ", attempts)) + ".";
        status.failed(where, offered, message);
        throw new ProxyAuthException(message, offered, attempts);
    }

    private SchemeLogin loginFor(ProxyAuth scheme, ProxyRoute proxy) throws LoginFailure {
        if (scheme == ProxyAuth.NEGOTIATE) {
            return new NegotiateLogin(kerberos, proxy.host());
        }
        if (proxy.username().isEmpty()) {
            throw new LoginFailure(scheme.headerName() + ": no proxy.username and proxy.password configured"
                    + " for this proxy");
        }
        String user = proxy.username().get();
        String password = proxy.password().orElse("");
        if (scheme == ProxyAuth.NTLM) {
            return new NtlmLogin(NtlmUser.of(user, domain, workstation), password.toCharArray(), clock);
        }
        return new BasicLogin(user, password);
    }

    private String notAllowed(ProxyAuth scheme) {
        String why = scheme == ProxyAuth.BASIC
                ? "; Basic shows the password to anyone on the way to the proxy: add basic only if that link is trusted"
                : "";
        return scheme.headerName() + ": not allowed (add " + scheme.configName() + " to proxy.authSchemes to use it"
                + why + ")";
    }

    private static Optional<ProxyAuth> known(Challenge c) {
        for (ProxyAuth a : ProxyAuth.values()) {
            if (c.is(a.headerName())) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    private static Optional<Challenge> challengeOf(ProxyAnswer answer, ProxyAuth scheme) {
        return answer.challenges().stream().filter(c -> c.is(scheme.headerName())).findFirst();
    }
}
