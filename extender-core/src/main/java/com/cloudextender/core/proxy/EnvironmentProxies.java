package com.cloudextender.core.proxy;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The proxy from the environment, as curl and most command-line tools read it: {@code HTTPS_PROXY}
 * (or {@code https_proxy}), with {@code NO_PROXY} (or {@code no_proxy}) for the destinations that go
 * direct. Credentials in the URL are ignored: they come from {@code proxy.username}/{@code proxy.password}.
 */
public final class EnvironmentProxies implements ProxySource {
    private final String variable;
    private final ProxyChoice proxy;
    private final NoProxyRule noProxy;

    private EnvironmentProxies(String variable, ProxyChoice proxy, NoProxyRule noProxy) {
        this.variable = variable;
        this.proxy = proxy;
        this.noProxy = noProxy;
    }

    /**
     * Reads {@code env}; empty when no HTTPS proxy is set there.
     *
     * @throws IllegalArgumentException when the variable is set but is not a proxy URL
     */
    public static Optional<EnvironmentProxies> from(Map<String, String> env) {
        for (String name : List.of("HTTPS_PROXY", "https_proxy")) {
            String value = env.get(name);
            if (value != null && !value.isBlank()) {
                String noProxy = env.getOrDefault("NO_PROXY", env.get("no_proxy"));
                return Optional.of(new EnvironmentProxies(name, parse(name, value.trim()), NoProxyRule.parse(noProxy)));
            }
        }
        return Optional.empty();
    }

    static ProxyChoice parse(String name, String value) {
        String url = value.contains("://") ? value : "http://" + value;
        try {
            URI u = new URI(url);
            if (u.getHost() == null || !(u.getScheme().equalsIgnoreCase("http")
                    || u.getScheme().equalsIgnoreCase("https"))) {
                throw new IllegalArgumentException(name + ": '" + value
                        + "' is not an HTTP proxy URL such as http://proxy.example.com:3128");
            }
            int port = u.getPort() > 0 ? u.getPort() : u.getScheme().equalsIgnoreCase("https") ? 443 : 80;
            return ProxyChoice.proxy(u.getHost(), port);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(name + ": '" + value + "' is not a URL: " + e.getReason(), e);
        }
    }

    @Override
    public String description() {
        return "environment variable " + variable + (noProxy.toString().isEmpty() ? "" : " (NO_PROXY " + noProxy + ")");
    }

    @Override
    public List<ProxyChoice> choicesFor(String host, int port) {
        return List.of(noProxy.matches(host, port) ? ProxyChoice.DIRECT : proxy);
    }
}
