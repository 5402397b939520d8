package com.cloudextender.core.proxy;

import com.cloudextender.api.ProxyRoute;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/**
 * Opens a TCP tunnel through an HTTP proxy with {@code CONNECT} (RFC 9110 §9.3.6), with Basic
 * authentication when the route has credentials. Used by the channel, which speaks TLS through the
 * tunnel; HTTP clients use their own proxy support with the same {@link ProxyDecision}.
 */
public final class HttpConnectTunnel {
    private static final int MAX_HEADER_BYTES = 16 * 1024;

    private HttpConnectTunnel() {
    }

    /**
     * Connects to the proxy and asks it for a tunnel to {@code host:port}.
     *
     * @return a connected socket whose streams reach the destination
     * @throws ProxyException when the proxy refuses (with its status line) or answers nonsense
     */
    public static Socket open(ProxyRoute proxy, String host, int port, int timeoutMillis) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(proxy.host(), proxy.port()), timeoutMillis);
            s.setSoTimeout(timeoutMillis);
            String target = host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
            StringBuilder req = new StringBuilder()
                    .append("CONNECT ").append(target).append(" HTTP/1.1\r\n")
                    .append("Host: ").append(target).append("\r\n")
                    .append("Proxy-Connection: Keep-Alive\r\n");
            if (proxy.username().isPresent()) {
                String token = proxy.username().get() + ":" + proxy.password().orElse("");
                req.append("Proxy-Authorization: Basic ")
                        .append(Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8)))
                        .append("\r\n");
            }
            req.append("\r\n");
            OutputStream out = s.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String head = readHead(s.getInputStream(), proxy, target);
            String statusLine = head.lines().findFirst().orElse("");
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
                throw new ProxyException("proxy " + proxy + " answered CONNECT " + target + " with '" + statusLine
                        + "', which is not HTTP; check proxy.host and proxy.port");
            }
            if (!parts[1].equals("200")) {
                throw new ProxyException("proxy " + proxy + " refused CONNECT " + target + ": " + statusLine.trim()
                        + hint(parts[1], head, proxy));
            }
            s.setSoTimeout(0);
            return s;
        } catch (IOException e) {
            s.close();
            if (e instanceof ProxyException) {
                throw e;
            }
            throw new ProxyException("cannot reach " + host + ":" + port + " through proxy " + proxy + ": " + e, e);
        }
    }

    private static String hint(String status, String head, ProxyRoute proxy) {
        if (status.equals("407")) {
            String scheme = head.lines().filter(l -> l.toLowerCase(Locale.ROOT).startsWith("proxy-authenticate:"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("none offered");
            return " (the proxy wants authentication, scheme: " + scheme + "; " + ProxyException.authenticationHint(
                    proxy.username().isPresent(), proxy.host() + ":" + proxy.port()) + ")";
        }
        if (status.equals("403")) {
            return " (the proxy's rules forbid this destination; ask the proxy administrator to allow it)";
        }
        return "";
    }

    /** Reads the response head byte by byte so that no byte of the tunnelled stream is consumed. */
    private static String readHead(InputStream in, ProxyRoute proxy, String target) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int b = in.read();
            if (b < 0) {
                throw new ProxyException("proxy " + proxy + " closed the connection during CONNECT " + target);
            }
            buf.write(b);
            if (buf.size() > MAX_HEADER_BYTES) {
                throw new ProxyException("proxy " + proxy + " sent an oversized answer to CONNECT " + target);
            }
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3))
                    ? state + 1 : (b == '\r' ? 1 : 0);
        }
        return buf.toString(StandardCharsets.ISO_8859_1);
    }
}
