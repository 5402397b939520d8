package com.cloudextender.core.proxy;

import java.net.ProxySelector;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Supplier;

import com.github.markusbernhardt.proxy.search.desktop.DesktopProxySearchStrategy;
import com.github.markusbernhardt.proxy.search.wpad.WpadProxySearchStrategy;
import com.github.markusbernhardt.proxy.selector.pac.PacProxySelector;
import com.github.markusbernhardt.proxy.selector.pac.UrlPacScriptSource;
import com.github.markusbernhardt.proxy.util.ProxyException;

import com.cloudextender.core.proxy.auth.KerberosClient;
import com.cloudextender.core.proxy.auth.ProxyAuthenticator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the one {@link ProxyDecision} from {@code proxy.*}: the explicit proxy when one is configured
 * (it always wins), direct for {@code none}, and otherwise the first source that has a proxy, in this
 * order: the environment ({@code HTTPS_PROXY}, {@code NO_PROXY}), Java system properties, the
 * {@code proxy.pacUrl} PAC file, the OS settings (Windows Internet Settings including AutoConfigURL,
 * GNOME, KDE, through proxy-vole), and, only with {@code proxy.wpad=true}, WPAD by DNS
 * ({@code http://wpad.<domain>/wpad.dat}, fetched over plain HTTP from whoever answers that name). DHCP-based
 * WPAD is not used. The explicit PAC file comes before the OS settings because it is the
 * administrator's own word for this extender. Whatever the source, credentials go only to the proxies
 * {@link ProxySettings#routeTo} trusts.
 */
public final class ProxyDiscovery {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyDiscovery.class);

    private final Map<String, String> env;
    private final Properties systemProperties;
    private final Supplier<Optional<ProxySelector>> osSettings;
    private final Supplier<Optional<ProxySelector>> wpad;

    /** Discovery from this process's environment, system properties, OS settings and network. */
    public ProxyDiscovery() {
        this(System.getenv(), System.getProperties(),
                () -> selector("OS settings", new DesktopProxySearchStrategy()::getProxySelector),
                () -> selector("WPAD", new WpadProxySearchStrategy()::getProxySelector));
    }

    /** Discovery from the given places; for tests. */
    public ProxyDiscovery(Map<String, String> env, Properties systemProperties,
            Supplier<Optional<ProxySelector>> osSettings, Supplier<Optional<ProxySelector>> wpad) {
        this.env = env;
        this.systemProperties = systemProperties;
        this.osSettings = osSettings;
        this.wpad = wpad;
    }

    /**
     * The decision for these settings.
     *
     * @throws IllegalArgumentException when a discovered setting is malformed (the message names it)
     */
    public ProxyDecision decide(ProxySettings settings) {
        ProxyDecision decision = switch (settings.mode()) {
            case NONE -> ProxyDecision.direct();
            case EXPLICIT -> ProxyDecision.fixed(settings.routeTo(settings.explicit().orElseThrow()));
            case AUTO -> find(settings).<ProxyDecision>map(s -> new PerHostProxyDecision(s, settings))
                    .orElseGet(() -> new NoProxyFound(settings.wpad()));
        };
        java.time.Clock clock = java.time.Clock.systemUTC();
        return decision.withAuthenticator(new ProxyAuthenticator(settings.authSchemes(), settings.domain(),
                settings.workstation().orElseGet(ProxyDiscovery::hostName),
                new KerberosClient(settings.kerberosPrincipal(), settings.kerberosKeytab(), clock), clock,
                (host, port) -> settings.trusts(ProxyChoice.proxy(host, port))));
    }

    private static String hostName() {
        try {
            String name = java.net.InetAddress.getLocalHost().getHostName();
            int dot = name.indexOf('.');
            return dot > 0 ? name.substring(0, dot) : name;
        } catch (java.io.IOException e) {
            return "EXTENDER";
        }
    }

    /** The first source with a proxy for auto mode, or empty when there is none. */
    public Optional<ProxySource> find(ProxySettings settings) {
        Optional<ProxySource> found = EnvironmentProxies.from(env).map(s -> s);
        if (found.isEmpty()) {
            found = SystemPropertyProxies.from(systemProperties).map(s -> s);
        }
        if (found.isEmpty() && settings.pacUrl().isPresent()) {
            found = Optional.of(pacFile(settings.pacUrl().get().toString()));
        }
        if (found.isEmpty()) {
            found = osSettings.get().map(s -> new SelectorProxies("OS proxy settings", s));
        }
        if (found.isEmpty() && settings.wpad()) {
            found = wpad.get().map(s -> new SelectorProxies("WPAD (wpad.<domain>)", s));
        }
        return found;
    }

    /** A PAC file at {@code url} (http, https or file), evaluated with proxy-vole's bundled Rhino engine. */
    public static ProxySource pacFile(String url) {
        // proxy-vole turns every PAC selector off after one failed download; ours must stay on.
        PacProxySelector.setEnabled(true);
        return new SelectorProxies("PAC file " + url,
                new PacFileSelector("PAC file " + url, new UrlPacScriptSource(url)));
    }

    private interface SelectorSearch {
        ProxySelector search() throws ProxyException;
    }

    private static Optional<ProxySelector> selector(String what, SelectorSearch search) {
        try {
            return Optional.ofNullable(search.search());
        } catch (ProxyException | RuntimeException e) {
            LOG.warn("Could not read the {} for a proxy ({}); going on without them", what, e.toString());
            return Optional.empty();
        }
    }

    /** Auto mode found nothing: direct, said so in plain words. */
    private static final class NoProxyFound implements ProxyDecision {
        private final boolean wpad;

        NoProxyFound(boolean wpad) {
            this.wpad = wpad;
        }

        @Override
        public Optional<com.cloudextender.api.ProxyRoute> routeFor(String host, int port) {
            return Optional.empty();
        }

        @Override
        public String describe(String host, int port) {
            return "no proxy found (environment, Java properties, PAC, OS settings" + (wpad ? ", WPAD" : "; WPAD is "
                    + "off, proxy.wpad") + "): direct connection to " + host + ":" + port;
        }
    }
}
