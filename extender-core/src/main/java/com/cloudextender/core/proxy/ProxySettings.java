package com.cloudextender.core.proxy;

import java.net.URI;
import java.time.Duration;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import com.cloudextender.core.proxy.auth.ProxyAuthenticator;

/**
 * The validated {@code proxy.*} configuration. Immutable; {@link #toString()} hides the password.
 *
 * @param mode        explicit, auto (discover) or none
 * @param explicit    the configured proxy ({@code proxy.host}/{@code proxy.port}), present in explicit mode
 * @param pacUrl      a PAC file to use in auto mode before the OS settings' own ({@code proxy.pacUrl})
 * @param authSchemes the authentication schemes allowed for proxies that ask for one ({@code proxy.authSchemes})
 * @param username    the proxy user, for the configured proxy and the listed discovered ones
 * @param password    that user's password
 * @param domain      the NTLM domain
 * @param workstation the NTLM workstation name; empty means this machine's host name
 * @param cacheTtl    how long a per-destination decision is kept before it is evaluated again
 * @param kerberosPrincipal the Kerberos principal for Negotiate ({@code proxy.kerberos.principal})
 * @param kerberosKeytab    its keytab ({@code proxy.kerberos.keytab}); empty: the ticket cache
 * @param wpad        whether auto mode asks WPAD by DNS ({@code proxy.wpad}, off by default: anyone on the
 *                    LAN who answers the name {@code wpad} would choose the proxy)
 * @param credentialsFor discovered proxies the extender logs in to ({@code proxy.credentialsFor}); any other
 *                    discovered proxy is used without credentials or Kerberos tickets
 */
public record ProxySettings(ProxyMode mode, Optional<ProxyChoice> explicit, Optional<URI> pacUrl,
        List<ProxyAuth> authSchemes, Optional<String> username, Optional<String> password, Optional<String> domain,
        Optional<String> workstation, Duration cacheTtl, Optional<String> kerberosPrincipal,
        Optional<Path> kerberosKeytab, boolean wpad, Set<ProxyChoice> credentialsFor) {

    /** The default: discover, Negotiate or NTLM, decisions kept five minutes. */
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(5);

    public ProxySettings {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(explicit, "explicit");
        Objects.requireNonNull(pacUrl, "pacUrl");
        authSchemes = List.copyOf(authSchemes);
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(workstation, "workstation");
        Objects.requireNonNull(cacheTtl, "cacheTtl");
        Objects.requireNonNull(kerberosPrincipal, "kerberosPrincipal");
        Objects.requireNonNull(kerberosKeytab, "kerberosKeytab");
        credentialsFor = credentialsFor.stream().map(ProxyChoice::normalised).collect(Collectors.toUnmodifiableSet());
        if (mode == ProxyMode.EXPLICIT && explicit.isEmpty()) {
            throw new IllegalArgumentException("explicit proxy mode needs a proxy");
        }
    }

    /** Direct connections only. */
    public static ProxySettings none() {
        return new ProxySettings(ProxyMode.NONE, Optional.empty(), Optional.empty(),
                ProxyAuthenticator.DEFAULT_SCHEMES, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), DEFAULT_TTL, Optional.empty(), Optional.empty(), false, Set.of());
    }

    /** Discovery (environment, Java properties, OS settings; no WPAD) with no credentials: what auto mode finds. */
    public static ProxySettings discover() {
        return new ProxySettings(ProxyMode.AUTO, Optional.empty(), Optional.empty(),
                ProxyAuthenticator.DEFAULT_SCHEMES, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), DEFAULT_TTL, Optional.empty(), Optional.empty(), false, Set.of());
    }

    /**
     * Whether the extender may log in to {@code proxy} (with {@code proxy.username}/{@code proxy.password} or a
     * Kerberos ticket): only the configured proxy ({@code proxy.host}) and those listed in
     * {@code proxy.credentialsFor}. A proxy named by a PAC file, WPAD or the environment is whoever controls
     * that source: it must not collect the password or a ticket.
     */
    public boolean trusts(ProxyChoice proxy) {
        return !proxy.isDirect() && (explicit.map(e -> e.normalised().equals(proxy.normalised())).orElse(false)
                || credentialsFor.contains(proxy.normalised()));
    }

    /** The route to a proxy: with these settings' credentials when {@link #trusts} allows it, else without any. */
    public com.cloudextender.api.ProxyRoute routeTo(ProxyChoice proxy) {
        if (proxy.isDirect()) {
            throw new IllegalArgumentException("DIRECT has no route");
        }
        return trusts(proxy) ? new com.cloudextender.api.ProxyRoute(proxy.host(), proxy.port(), username, password)
                : new com.cloudextender.api.ProxyRoute(proxy.host(), proxy.port(), Optional.empty(), Optional.empty());
    }

    /** True when credentials are configured but {@code proxy} does not get them. */
    public boolean withholdsCredentialsFrom(ProxyChoice proxy) {
        return username.isPresent() && !proxy.isDirect() && !trusts(proxy);
    }

    @Override
    public String toString() {
        return "ProxySettings[mode=" + mode + ", explicit=" + explicit.map(ProxyChoice::toString).orElse("")
                + ", pacUrl=" + pacUrl.map(URI::toString).orElse("") + ", authSchemes=" + authSchemes + ", username="
                + username.orElse("") + ", domain=" + domain.orElse("") + ", cacheTtl=" + cacheTtl + ", wpad=" + wpad
                + ", credentialsFor=" + credentialsFor + "]";
    }
}
