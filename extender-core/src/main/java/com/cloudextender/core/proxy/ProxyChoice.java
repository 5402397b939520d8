package com.cloudextender.core.proxy;

/**
 * One entry of a proxy list such as a PAC file's {@code "PROXY a:3128; DIRECT"}: a proxy to try, or a
 * direct connection. Immutable.
 *
 * @param host the proxy host, empty for {@link #DIRECT}
 * @param port the proxy port, 0 for {@link #DIRECT}
 */
public record ProxyChoice(String host, int port) {
    /** Connect without a proxy. */
    public static final ProxyChoice DIRECT = new ProxyChoice("", 0);

    /** A proxy at {@code host:port}. */
    public static ProxyChoice proxy(String host, int port) {
        if (!isProxyAddress(host, port)) {
            throw new IllegalArgumentException("not a proxy address: " + host + ":" + port);
        }
        return new ProxyChoice(host, port);
    }

    /** Whether {@code host:port} can be a proxy: a host that is not blank and a port 1-65535. */
    public static boolean isProxyAddress(String host, int port) {
        return host != null && !host.isBlank() && port >= 1 && port <= 65535;
    }

    /** The same choice with the host in lower case, so that {@code Proxy.Corp} and {@code proxy.corp} are equal. */
    public ProxyChoice normalised() {
        return isDirect() ? this : new ProxyChoice(host.toLowerCase(java.util.Locale.ROOT), port);
    }

    public boolean isDirect() {
        return host.isEmpty();
    }

    /** In PAC words: {@code DIRECT} or {@code PROXY host:port}. */
    @Override
    public String toString() {
        return isDirect() ? "DIRECT" : "PROXY " + host + ":" + port;
    }
}
