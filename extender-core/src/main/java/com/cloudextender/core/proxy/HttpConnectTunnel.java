package com.cloudextender.core.proxy;

import java.io.IOException;
import java.net.Socket;

import com.cloudextender.api.ProxyRoute;
import com.cloudextender.core.proxy.auth.ProxyAuthenticator;

/**
 * Opens a TCP tunnel through an HTTP proxy with {@code CONNECT} (RFC 9110 §9.3.6), answering the proxy's
 * authentication with the shared {@link ProxyAuthenticator}. Every outbound connection through a proxy
 * comes here: the channel, and (through {@link ProxyConnector}) the HTTP clients.
 */
public final class HttpConnectTunnel {
    private HttpConnectTunnel() {
    }

    /**
     * Connects to the proxy and asks it for a tunnel to {@code host:port}.
     *
     * @return a connected socket whose streams reach the destination
     * @throws ProxyException when the proxy refuses (with its status line and, for 407, each scheme tried)
     */
    public static Socket open(ProxyRoute proxy, ProxyAuthenticator auth, String host, int port, int timeoutMillis)
            throws IOException {
        return open(proxy, auth, host, port, timeoutMillis, false);
    }

    /**
     * As {@link #open(ProxyRoute, ProxyAuthenticator, String, int, int)}; with {@code selectable}, the socket is a
     * {@link java.nio.channels.SocketChannel}'s (still in blocking mode), for a non-blocking framework to take over.
     */
    public static Socket open(ProxyRoute proxy, ProxyAuthenticator auth, String host, int port, int timeoutMillis,
            boolean selectable) throws IOException {
        String target = host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
        ConnectExchange exchange = new ConnectExchange(proxy, target, timeoutMillis, selectable);
        try {
            ProxyAuthenticator.Outcome outcome = auth.login(proxy, "CONNECT " + target, exchange);
            int status = outcome.answer().status();
            if (status != 200) {
                throw new ProxyException("proxy " + proxy.host() + ":" + proxy.port() + " refused CONNECT " + target
                        + ": " + outcome.answer().statusLine() + hint(status));
            }
            Socket s = exchange.tunnel();
            try {
                s.setSoTimeout(0);
            } catch (IOException e) {
                s.close();
                throw e;
            }
            return s;
        } catch (IOException e) {
            exchange.close();
            if (e instanceof ProxyException) {
                throw e;
            }
            throw new ProxyException("cannot reach " + host + ":" + port + " through proxy " + proxy + ": " + e, e);
        }
    }

    private static String hint(int status) {
        if (status == 403) {
            return " (the proxy's rules forbid this destination; ask the proxy administrator to allow it)";
        }
        return "";
    }
}
