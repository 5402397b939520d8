package com.cloudextender.core.proxy;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

import com.cloudextender.core.config.ConfigException;
import com.cloudextender.core.proxy.auth.ProxyAuthenticator;

/**
 * Reads the {@code proxy.*} keys beyond host, port and credentials: {@code proxy.mode},
 * {@code proxy.pacUrl}, {@code proxy.wpad}, {@code proxy.credentialsFor}, {@code proxy.authSchemes} (or the
 * older {@code proxy.auth}), {@code proxy.domain}, {@code proxy.workstation}, {@code proxy.kerberos.principal},
 * {@code proxy.kerberos.keytab} and {@code proxy.cacheTtl}, and checks that they fit together. Messages name
 * the key.
 */
public final class ProxyKeys {
    private ProxyKeys() {
    }

    /**
     * @param optional a reader that consumes a key and returns its value
     * @param duration a reader that consumes a duration key, with its default
     */
    public static ProxySettings read(Function<String, Optional<String>> optional, Optional<String> host, int port,
            Optional<String> username, Optional<String> password, BiFunction<String, Duration, Duration> duration) {
        ProxyMode mode = optional.apply("proxy.mode").map(ProxyKeys::mode)
                .orElse(host.isPresent() ? ProxyMode.EXPLICIT : ProxyMode.AUTO);
        Optional<URI> pacUrl = optional.apply("proxy.pacUrl").map(ProxyKeys::pacUrl);
        Optional<List<ProxyAuth>> schemes = optional.apply("proxy.authSchemes").map(ProxyKeys::schemes);
        Optional<ProxyAuth> legacy = optional.apply("proxy.auth").map(ProxyKeys::auth);
        if (schemes.isPresent() && legacy.isPresent()) {
            throw new ConfigException("proxy.auth: set together with proxy.authSchemes; keep proxy.authSchemes only");
        }
        List<ProxyAuth> auth = schemes.orElseGet(() -> legacy.map(List::of).orElse(ProxyAuthenticator.DEFAULT_SCHEMES));
        Optional<String> principal = optional.apply("proxy.kerberos.principal");
        Optional<Path> keytab = optional.apply("proxy.kerberos.keytab").map(ProxyKeys::keytab);
        Optional<String> domain = optional.apply("proxy.domain");
        Optional<String> workstation = optional.apply("proxy.workstation");
        Duration ttl = duration.apply("proxy.cacheTtl", ProxySettings.DEFAULT_TTL);
        Optional<Boolean> wpad = optional.apply("proxy.wpad").map(ProxyKeys::wpad);
        Optional<Set<ProxyChoice>> credentialsFor = optional.apply("proxy.credentialsFor").map(ProxyKeys::proxyList);
        if (mode == ProxyMode.EXPLICIT && host.isEmpty()) {
            throw new ConfigException("proxy.host: missing; proxy.mode is explicit");
        }
        if (mode != ProxyMode.EXPLICIT && host.isPresent()) {
            throw new ConfigException("proxy.host: set, but proxy.mode is " + mode.name().toLowerCase(Locale.ROOT)
                    + "; remove proxy.host or set proxy.mode=explicit");
        }
        if (mode == ProxyMode.NONE && username.isPresent()) {
            throw new ConfigException("proxy.username: set, but proxy.mode is none");
        }
        if (pacUrl.isPresent() && mode != ProxyMode.AUTO) {
            throw new ConfigException("proxy.pacUrl: set, but proxy.mode is " + mode.name().toLowerCase(Locale.ROOT)
                    + "; a PAC file is used in auto mode only");
        }
        if (wpad.orElse(false) && mode != ProxyMode.AUTO) {
            throw new ConfigException("proxy.wpad: true, but proxy.mode is " + mode.name().toLowerCase(Locale.ROOT)
                    + "; WPAD is used in auto mode only");
        }
        if (credentialsFor.isPresent() && mode != ProxyMode.AUTO) {
            throw new ConfigException("proxy.credentialsFor: set, but proxy.mode is "
                    + mode.name().toLowerCase(Locale.ROOT) + "; it lists discovered proxies, used in auto mode only");
        }
        if (credentialsFor.isPresent() && username.isEmpty() && !auth.contains(ProxyAuth.NEGOTIATE)) {
            throw new ConfigException("proxy.credentialsFor: set, but proxy.username is not and proxy.authSchemes "
                    + "has no negotiate; it says which discovered proxies get proxy.username and proxy.password "
                    + "(or a Kerberos ticket)");
        }
        if (legacy.isPresent() && legacy.get() != ProxyAuth.NEGOTIATE && username.isEmpty()) {
            throw new ConfigException("proxy.username: missing; proxy.auth is " + legacy.get().configName());
        }
        if (!auth.contains(ProxyAuth.NTLM) && (domain.isPresent() || workstation.isPresent())) {
            throw new ConfigException((domain.isPresent() ? "proxy.domain" : "proxy.workstation")
                    + ": set, but proxy.authSchemes has no ntlm");
        }
        if (!auth.contains(ProxyAuth.NEGOTIATE) && (principal.isPresent() || keytab.isPresent())) {
            throw new ConfigException((keytab.isPresent() ? "proxy.kerberos.keytab" : "proxy.kerberos.principal")
                    + ": set, but proxy.authSchemes has no negotiate");
        }
        if (keytab.isPresent() && principal.isEmpty()) {
            throw new ConfigException("proxy.kerberos.principal: missing; a keytab needs the principal to log in as");
        }
        Optional<ProxyChoice> explicit = host.map(h -> ProxyChoice.proxy(h, port));
        return new ProxySettings(mode, explicit, pacUrl, auth, username, password, domain, workstation, ttl, principal,
                keytab, wpad.orElse(false), credentialsFor.orElse(Set.of()));
    }

    private static boolean wpad(String v) {
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ConfigException("proxy.wpad: '" + v + "' is not allowed; write true or false");
        };
    }

    /** {@code host:port, host:port, [v6]:port}: the proxies that get the credentials. */
    static Set<ProxyChoice> proxyList(String v) {
        Set<ProxyChoice> out = new LinkedHashSet<>();
        for (String item : v.split(",")) {
            String s = item.trim();
            if (s.isEmpty()) {
                continue;
            }
            int colon = s.lastIndexOf(':');
            String host = colon > 0 ? s.substring(0, colon) : "";
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int port;
            try {
                port = colon > 0 ? Integer.parseInt(s.substring(colon + 1)) : -1;
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (host.isBlank() || host.contains(":") && !s.startsWith("[") || port < 1 || port > 65535) {
                throw new ConfigException("proxy.credentialsFor: '" + s + "' is not host:port (for example "
                        + "proxy.corp:3128, or [2001:db8::1]:3128)");
            }
            out.add(ProxyChoice.proxy(host, port).normalised());
        }
        if (out.isEmpty()) {
            throw new ConfigException("proxy.credentialsFor: empty; list host:port entries, or remove the key");
        }
        return Set.copyOf(out);
    }

    private static ProxyMode mode(String v) {
        try {
            return ProxyMode.valueOf(v.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("proxy.mode: '" + v + "' is not allowed; write explicit, auto or none");
        }
    }

    private static ProxyAuth auth(String v) {
        try {
            return ProxyAuth.valueOf(v.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("proxy.auth: '" + v + "' is not allowed; write negotiate, ntlm or basic");
        }
    }

    /**
     * Parses a {@code proxy.authSchemes} value (for example {@code negotiate,ntlm}).
     *
     * @throws ConfigException naming the key and what is wrong
     */
    public static List<ProxyAuth> schemes(String v) {
        List<ProxyAuth> out = new ArrayList<>();
        for (String part : v.split(",")) {
            String name = part.trim();
            if (name.isEmpty()) {
                continue;
            }
            ProxyAuth a;
            try {
                a = ProxyAuth.valueOf(name.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("proxy.authSchemes: '" + name + "' is not a scheme; write a list of "
                        + "negotiate, ntlm and basic, for example negotiate,ntlm");
            }
            if (out.contains(a)) {
                throw new ConfigException("proxy.authSchemes: '" + name + "' is listed twice");
            }
            out.add(a);
        }
        if (out.isEmpty()) {
            throw new ConfigException("proxy.authSchemes: empty; write a list of negotiate, ntlm and basic");
        }
        return out;
    }

    private static Path keytab(String v) {
        Path p = Path.of(v.trim());
        if (!Files.isReadable(p)) {
            throw new ConfigException("proxy.kerberos.keytab: " + p + " is not a readable file");
        }
        return p;
    }

    private static URI pacUrl(String v) {
        try {
            URI u = new URI(v.trim());
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https") || scheme.equals("file"))) {
                throw new ConfigException("proxy.pacUrl: '" + v + "' must be an http://, https:// or file: URL");
            }
            return u;
        } catch (URISyntaxException e) {
            throw new ConfigException("proxy.pacUrl: '" + v + "' is not a URL: " + e.getReason());
        }
    }
}
