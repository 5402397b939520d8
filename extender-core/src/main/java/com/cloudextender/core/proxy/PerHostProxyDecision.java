package com.cloudextender.core.proxy;

import com.cloudextender.api.ProxyRoute;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A discovered proxy decision: asks its {@link ProxySource} per destination, keeps each answer for a
 * time-to-live, and follows a list's fallbacks ({@code "PROXY a:3128; PROXY b:3128; DIRECT"}): the
 * first proxy that accepts a TCP connection wins. Thread-safe.
 */
public final class PerHostProxyDecision implements ProxyDecision {
    /** Tells whether a proxy accepts connections; replaced in tests. */
    @FunctionalInterface
    public interface Reachability {
        boolean reachable(ProxyChoice proxy);
    }

    private record Decided(List<ProxyChoice> choices, ProxyChoice chosen, Instant expires) {
    }

    private final ProxySource source;
    private final ProxySettings settings;
    private final Reachability reachability;
    private final Clock clock;
    private final Map<String, Decided> cache = new ConcurrentHashMap<>();

    public PerHostProxyDecision(ProxySource source, ProxySettings settings, Reachability reachability, Clock clock) {
        this.source = source;
        this.settings = settings;
        this.reachability = reachability;
        this.clock = clock;
    }

    /** With a real TCP probe (two seconds at most per proxy) and the system clock. */
    public PerHostProxyDecision(ProxySource source, ProxySettings settings) {
        this(source, settings, PerHostProxyDecision::probe, Clock.systemUTC());
    }

    @Override
    public Optional<ProxyRoute> routeFor(String host, int port) {
        ProxyChoice chosen = decide(host, port).chosen();
        return chosen.isDirect() ? Optional.empty() : Optional.of(settings.routeTo(chosen));
    }

    @Override
    public String describe(String host, int port) {
        Decided d = decide(host, port);
        String list = String.join("; ", d.choices().stream().map(ProxyChoice::toString).toList());
        String says = source.description() + " says " + list + " for " + host + ":" + port;
        says = d.choices().size() > 1 ? says + " (using " + d.chosen() + ")" : says;
        return settings.withholdsCredentialsFrom(d.chosen()) ? says + "; no credentials sent to it (not in "
                + "proxy.credentialsFor)" : says;
    }

    /** The source these decisions come from, in plain words. */
    public String sourceDescription() {
        return source.description();
    }

    private Decided decide(String host, int port) {
        String key = host + ":" + port;
        Instant now = clock.instant();
        Decided d = cache.get(key);
        if (d == null || !now.isBefore(d.expires())) {
            List<ProxyChoice> choices = source.choicesFor(host, port);
            d = new Decided(choices, pick(choices), now.plus(settings.cacheTtl()));
            cache.put(key, d);
        }
        return d;
    }

    /** The first entry that is DIRECT or a reachable proxy; a single entry is taken as it is. */
    private ProxyChoice pick(List<ProxyChoice> choices) {
        if (choices.size() == 1) {
            return choices.get(0);
        }
        for (ProxyChoice c : choices) {
            if (c.isDirect() || reachability.reachable(c)) {
                return c;
            }
        }
        // None answers: keep the first, so that the connection error names the proxy the list puts first.
        return choices.get(0);
    }

    private static boolean probe(ProxyChoice proxy) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(proxy.host(), proxy.port()), (int) Duration.ofSeconds(2).toMillis());
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
