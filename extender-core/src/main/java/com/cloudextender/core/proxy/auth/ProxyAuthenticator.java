package com.cloudextender.core.proxy.auth;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiPredicate;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.cloudextender.api.ProxyRoute;
import com.cloudextender.core.protocol.WireText;
import com.cloudextender.core.proxy.ProxyAuth;
import com.cloudextender.core.proxy.ProxyException;

/**
 * The one proxy login of the extender, used by every outbound connection through a proxy. It sends no
 * credential until the proxy's 407 names a scheme; then it tries the schemes the proxy offers, in the
 * proxy's order, restricted to those the administrator allows ({@code proxy.authSchemes}): Negotiate
 * (Kerberos), NTLMv2 and Basic. It logs in only to the proxies it is told to trust (the configured proxy and
 * {@code proxy.credentialsFor}, the same rule that puts the user and password in a route): any other proxy
 * gets no password and no Kerberos ticket. NTLM stays on one connection from NEGOTIATE to the accepted request. When
 * nothing works, the error lists what was offered, tried and why each failed. Thread-safe.
 */
public final class ProxyAuthenticator {
    /** {@code proxy.authSchemes} when not configured: never Basic, which would show the password to the proxy link. */
    public static final List<ProxyAuth> DEFAULT_SCHEMES = List.of(ProxyAuth.NEGOTIATE, ProxyAuth.NTLM);
    private static final Logger LOG = LoggerFactory.getLogger(ProxyAuthenticator.class);
    private static final int MAX_ROUNDS = 6;
    private static final Challenge NTLM_OPENING = new Challenge("NTLM", Optional.empty(), "");

    private final List<ProxyAuth> allowed;
    private final Optional<String> domain;
    private final String workstation;
    private final KerberosClient kerberos;
    private final ProxyAuthStatus status;
    /** Proxies (host:port) that accepted NTLM: their logins open with NEGOTIATE. */
    private final Map<String, List<Challenge>> ntlmProxies = new ConcurrentHashMap<>();
    private final Clock clock;
    private final BiPredicate<String, Integer> mayLogIn;

    /** As the full constructor, logging in to every proxy it is given (for a decision with no discovered proxies). */
    public ProxyAuthenticator(List<ProxyAuth> allowed, Optional<String> domain, String workstation,
            KerberosClient kerberos, Clock clock) {
        this(allowed, domain, workstation, kerberos, clock, (host, port) -> true);
    }

    /**
     * @param allowed     the schemes the administrator allows
     * @param domain      {@code proxy.domain}: the NTLM domain, when not written in the user name
     * @param workstation this machine's name for NTLM
     * @param kerberos    the Kerberos identity for Negotiate
     * @param mayLogIn    whether a proxy (host, port) may be sent credentials or a ticket at all
     *                    ({@link com.cloudextender.core.proxy.ProxySettings#trusts})
     */
    public ProxyAuthenticator(List<ProxyAuth> allowed, Optional<String> domain, String workstation,
            KerberosClient kerberos, Clock clock, BiPredicate<String, Integer> mayLogIn) {
        this.mayLogIn = mayLogIn;
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
        List<String> attempts = new ArrayList<>();
        ProxyAnswer answer = null;
        List<Challenge> known = ntlmProxies.get(where);
        if (known != null && allowed.contains(ProxyAuth.NTLM) && proxy.username().isPresent()) {
            // This proxy asked for NTLM before: open with NEGOTIATE, which carries no secret (no user, no
            // password), and save the round trip of an unauthenticated request. Anything else than an NTLM
            // challenge in return is handled as the proxy's first answer.
            Round r = rounds(ProxyAuth.NTLM, proxy, NTLM_OPENING, exchange, attempts);
            answer = r.answer();
            if (answer != null && answer.status() != 407) {
                status.succeeded(where, known, "NTLM");
                return new Outcome(answer, "NTLM", known);
            }
            ntlmProxies.remove(where);
            attempts.clear();
        }
        if (answer == null || answer.status() != 407 || answer.challenges().isEmpty()) {
            answer = exchange.send(Optional.empty(), false);
        }
        if (answer.status() != 407) {
            status.succeeded(where, List.of(), "none");
            return new Outcome(answer, "none", List.of());
        }
        List<Challenge> offered = answer.challenges();
        Set<String> seen = new LinkedHashSet<>();
        for (Challenge first : offered) {
            String name = first.scheme().toLowerCase(Locale.ROOT);
            if (!seen.add(name)) {
                continue;
            }
            Optional<ProxyAuth> scheme = known(first);
            if (scheme.isEmpty()) {
                attempts.add(WireText.of(first.scheme(), 32) + ": not supported by the extender");
                continue;
            }
            if (!allowed.contains(scheme.get())) {
                attempts.add(notAllowed(scheme.get()));
                continue;
            }
            // The latest 407 carries this scheme's current challenge (after a failed scheme, a fresh one).
            Challenge challenge = challengeOf(answer, scheme.get()).orElse(first);
            Round r = rounds(scheme.get(), proxy, challenge, exchange, attempts);
            if (r.answer() != null) {
                answer = r.answer();
            }
            if (r.answer() != null && r.answer().status() != 407) {
                String used = scheme.get().headerName();
                status.succeeded(where, offered, used);
                if (scheme.get() == ProxyAuth.NTLM) {
                    ntlmProxies.put(where, offered);
                }
                LOG.debug("Proxy {} accepted {} for {}", where, used, what);
                return new Outcome(r.answer(), used, offered);
            }
        }
        String message = "proxy " + where + " refused " + what + ": HTTP 407 Proxy Authentication Required. It offers "
                + Challenge.names(offered) + "; allowed (proxy.authSchemes): " + allowedNames() + ". "
                + (attempts.isEmpty() ? "Nothing could be tried" : String.join("; ", attempts)) + ".";
        status.failed(where, offered, message);
        throw new ProxyAuthException(message, offered, attempts);
    }

    /** The proxy's latest answer in one scheme's login: accepted (not 407), refused (407), or none sent. */
    private record Round(ProxyAnswer answer) {
    }

    /**
     * Answers {@code scheme}'s challenges until the proxy accepts or refuses; a refusal or a local failure is
     * added to {@code attempts}.
     */
    private Round rounds(ProxyAuth scheme, ProxyRoute proxy, Challenge challenge, ProxyExchange exchange,
            List<String> attempts) throws IOException {
        SchemeLogin login;
        try {
            login = loginFor(scheme, proxy);
        } catch (LoginFailure f) {
            attempts.add(f.getMessage());
            return new Round(null);
        }
        ProxyAnswer answer = null;
        Challenge current = challenge;
        try {
            for (int round = 0; round < MAX_ROUNDS; round++) {
                String authorization = login.answer(current);
                answer = exchange.send(Optional.of(authorization), round > 0 && login.connectionBound());
                if (answer.status() != 407) {
                    return new Round(answer);
                }
                Optional<Challenge> next = challengeOf(answer, scheme);
                if (next.isEmpty() || !login.continues(next.get())) {
                    attempts.add(login.rejection());
                    return new Round(answer);
                }
                current = next.get();
            }
            attempts.add(scheme.headerName() + ": the proxy did not finish the handshake in " + MAX_ROUNDS + " rounds");
        } catch (LoginFailure f) {
            attempts.add(f.getMessage());
        } catch (ConnectionLost e) {
            attempts.add(scheme.headerName() + ": " + e.getMessage());
            answer = null;
        }
        return new Round(answer);
    }

    private SchemeLogin loginFor(ProxyAuth scheme, ProxyRoute proxy) throws LoginFailure {
        if (!mayLogIn.test(proxy.host(), proxy.port())) {
            throw new LoginFailure(scheme.headerName() + ": " + ProxyException.withheldHint(proxy.host() + ":"
                    + proxy.port()));
        }
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
