package com.cloudextender.core.proxy;

import java.net.URI;
import java.time.Duration;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import com.cloudextender.core.proxy.auth.ProxyAuthenticator;

/**
 * The validated {@code proxy.*} configuration. Immutable; {@link #toString()} hides the password.
 *
 * @param mode        explicit, auto (discover) or none
 * @param explicit    the configured proxy ({@code proxy.host}/{@code proxy.port}), present in explicit mode
 * @param pacUrl      a PAC file to use in auto mode before the OS settings' own ({@code proxy.pacUrl})
 * @param authSchemes the authentication schemes allowed for proxies that ask for one ({@code proxy.authSchemes})
 * @param username    the proxy user, for explicit and discovered proxies alike
 * @param password    that user's password
 * @param domain      the NTLM domain
 * @param workstation the NTLM workstation name; empty means this machine's host name
 * @param cacheTtl    how long a per-destination decision is kept before it is evaluated again
 * @param kerberosPrincipal the Kerberos principal for Negotiate ({@code proxy.kerberos.principal})
 * @param kerberosKeytab    its keytab ({@code proxy.kerberos.keytab}); empty: the ticket cache
 */
public record ProxySettings(ProxyMode mode, Optional<ProxyChoice> explicit, Optional<URI> pacUrl,
        List<ProxyAuth> authSchemes, Optional<String> username, Optional<String> password, Optional<String> domain,
        Optional<String> workstation, Duration cacheTtl, Optional<String> kerberosPrincipal,
        Optional<Path> kerberosKeytab) {

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
        if (mode == ProxyMode.EXPLICIT && explicit.isEmpty()) {
            throw new IllegalArgumentException("explicit proxy mode needs a proxy");
        }
    }

    /** Direct connections only. */
    public static ProxySettings none() {
        return new ProxySettings(ProxyMode.NONE, Optional.empty(), Optional.empty(),
                ProxyAuthenticator.DEFAULT_SCHEMES, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), DEFAULT_TTL, Optional.empty(), Optional.empty());
    }

    /** Discovery (environment, Java properties, OS settings, WPAD) with no credentials: what auto mode finds. */
    public static ProxySettings discover() {
        return new ProxySettings(ProxyMode.AUTO, Optional.empty(), Optional.empty(),
                ProxyAuthenticator.DEFAULT_SCHEMES, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), DEFAULT_TTL, Optional.empty(), Optional.empty());
    }

    /** The route to a proxy with these settings' credentials. */
    public com.cloudextender.api.ProxyRoute routeTo(ProxyChoice proxy) {
        if (proxy.isDirect()) {
            throw new IllegalArgumentException("DIRECT has no route");
        }
        return new com.cloudextender.api.ProxyRoute(proxy.host(), proxy.port(), username, password);
    }

    @Override
    public String toString() {
        return "ProxySettings[mode=" + mode + ", explicit=" + explicit.map(ProxyChoice::toString).orElse("")
                + ", pacUrl=" + pacUrl.map(URI::toString).orElse("") + ", authSchemes=" + authSchemes + ", username="
                + username.orElse("") + ", domain=" + domain.orElse("") + ", cacheTtl=" + cacheTtl + "]";
    }
}
