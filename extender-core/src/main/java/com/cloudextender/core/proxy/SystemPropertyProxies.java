package com.cloudextender.core.proxy;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * The proxy from Java's networking properties: {@code https.proxyHost}, {@code https.proxyPort}
 * (443 when absent, as the JDK has it) and {@code http.nonProxyHosts} ({@code |}-separated, {@code *}
 * as a wildcard), for an administrator who sets them in conf/jvm.options.
 */
public final class SystemPropertyProxies implements ProxySource {
    private final ProxyChoice proxy;
    private final List<Pattern> nonProxyHosts;

    private SystemPropertyProxies(ProxyChoice proxy, List<Pattern> nonProxyHosts) {
        this.proxy = proxy;
        this.nonProxyHosts = nonProxyHosts;
    }

    /**
     * Reads {@code props}; empty when {@code https.proxyHost} is not set.
     *
     * @throws IllegalArgumentException when {@code https.proxyPort} is not a port
     */
    public static Optional<SystemPropertyProxies> from(Properties props) {
        String host = props.getProperty("https.proxyHost", "").trim();
        if (host.isEmpty()) {
            return Optional.empty();
        }
        String portText = props.getProperty("https.proxyPort", "443").trim();
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("https.proxyPort: '" + portText + "' is not a port number");
        }
        List<Pattern> patterns = java.util.Arrays.stream(props.getProperty("http.nonProxyHosts", "").split("\\|"))
                .map(String::trim).filter(s -> !s.isEmpty())
                .map(s -> Pattern.compile(Pattern.quote(s.toLowerCase(Locale.ROOT)).replace("*", "\\E.*\\Q")))
                .toList();
        return Optional.of(new SystemPropertyProxies(ProxyChoice.proxy(host, port), patterns));
    }

    @Override
    public String description() {
        return "Java system property https.proxyHost";
    }

    @Override
    public List<ProxyChoice> choicesFor(String host, int port) {
        String h = host.toLowerCase(Locale.ROOT);
        boolean direct = nonProxyHosts.stream().anyMatch(p -> p.matcher(h).matches());
        return List.of(direct ? ProxyChoice.DIRECT : proxy);
    }
}
