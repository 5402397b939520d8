package com.cloudextender.core.proxy;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The validated {@code proxy.*} configuration. Immutable; {@link #toString()} hides the password.
 *
 * @param mode        explicit, auto (discover) or none
 * @param explicit    the configured proxy ({@code proxy.host}/{@code proxy.port}), present in explicit mode
 * @param pacUrl      a PAC file to use in auto mode before the OS settings' own ({@code proxy.pacUrl})
 * @param auth        the authentication scheme for proxies that ask for one
 * @param username    the proxy user, for explicit and discovered proxies alike
 * @param password    that user's password
 * @param domain      the NTLM domain
 * @param workstation the NTLM workstation name; empty means this machine's host name
 * @param cacheTtl    how long a per-destination decision is kept before it is evaluated again
 * @param wpad        whether auto mode asks WPAD by DNS ({@code proxy.wpad}, off by default: anyone on the
 *                    LAN who answers the name {@code wpad} would choose the proxy)
 * @param credentialsFor discovered proxies that get {@code username}/{@code password} ({@code proxy.credentialsFor});
 *                    any other discovered proxy is used without credentials
 */
public record ProxySettings(ProxyMode mode, Optional<ProxyChoice> explicit, Optional<URI> pacUrl, ProxyAuth auth,
        Optional<String> username, Optional<String> password, Optional<String> domain,
        Optional<String> workstation, Duration cacheTtl, boolean wpad, Set<ProxyChoice> credentialsFor) {

    /** The default: discover, Basic, decisions kept five minutes. */
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(5);

    public ProxySettings {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(explicit, "explicit");
        Objects.requireNonNull(pacUrl, "pacUrl");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(workstation, "workstation");
        Objects.requireNonNull(cacheTtl, "cacheTtl");
        credentialsFor = credentialsFor.stream().map(ProxyChoice::normalised).collect(Collectors.toUnmodifiableSet());
        if (mode == ProxyMode.EXPLICIT && explicit.isEmpty()) {
            throw new IllegalArgumentException("explicit proxy mode needs a proxy");
        }
    }

    /** Direct connections only. */
    public static ProxySettings none() {
        return new ProxySettings(ProxyMode.NONE, Optional.empty(), Optional.empty(), ProxyAuth.BASIC,
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), DEFAULT_TTL, false, Set.of());
    }

    /** Discovery (environment, Java properties, OS settings; no WPAD) with no credentials: what auto mode finds. */
    public static ProxySettings discover() {
        return new ProxySettings(ProxyMode.AUTO, Optional.empty(), Optional.empty(), ProxyAuth.BASIC,
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), DEFAULT_TTL, false, Set.of());
    }

    /**
     * The route to a proxy: with these settings' credentials when the proxy is the configured one
     * ({@code proxy.host}) or listed in {@code proxy.credentialsFor}, else without any. A proxy named by a
     * PAC file, WPAD or the environment is whoever controls that source: it must not collect the password.
     */
    public com.cloudextender.api.ProxyRoute routeTo(ProxyChoice proxy) {
        if (proxy.isDirect()) {
            throw new IllegalArgumentException("DIRECT has no route");
        }
        boolean trusted = explicit.map(e -> e.normalised().equals(proxy.normalised())).orElse(false)
                || credentialsFor.contains(proxy.normalised());
        return trusted ? new com.cloudextender.api.ProxyRoute(proxy.host(), proxy.port(), username, password)
                : new com.cloudextender.api.ProxyRoute(proxy.host(), proxy.port(), Optional.empty(), Optional.empty());
    }

    /** True when credentials are configured but {@code proxy} does not get them. */
    public boolean withholdsCredentialsFrom(ProxyChoice proxy) {
        return username.isPresent() && !proxy.isDirect() && routeTo(proxy).username().isEmpty();
    }

    @Override
    public String toString() {
        return "ProxySettings[mode=" + mode + ", explicit=" + explicit.map(ProxyChoice::toString).orElse("")
                + ", pacUrl=" + pacUrl.map(URI::toString).orElse("") + ", auth=" + auth + ", username="
                + username.orElse("") + ", domain=" + domain.orElse("") + ", cacheTtl=" + cacheTtl + ", wpad=" + wpad + ", credentialsFor="
                + credentialsFor + "]";
    }
}
