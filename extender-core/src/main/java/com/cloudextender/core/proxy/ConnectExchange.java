package com.cloudextender.core.proxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import com.cloudextender.api.ProxyRoute;
import com.cloudextender.core.protocol.WireText;
import com.cloudextender.core.proxy.auth.ConnectionLost;
import com.cloudextender.core.proxy.auth.ProxyAnswer;
import com.cloudextender.core.proxy.auth.ProxyExchange;

/**
 * The CONNECT request of one tunnel, sent as often as the proxy's authentication needs: on the same
 * connection while the proxy keeps it (it must, for NTLM), on a new one when it closed it between schemes.
 * A refusal's body is read and dropped so that the connection can carry the next attempt; the answer to
 * the accepted CONNECT is read byte by byte so that no byte of the tunnel is consumed. Not thread-safe.
 */
final class ConnectExchange implements ProxyExchange, AutoCloseable {
    private static final int MAX_HEADER_BYTES = 16 * 1024;
    private static final int MAX_BODY_BYTES = 1 << 20;

    private final ProxyRoute proxy;
    private final String target;
    private final int timeoutMillis;
    private final boolean selectable;
    private Socket socket;
    private boolean reusable;

    /** @param selectable whether the tunnel's socket must have a {@link java.nio.channels.SocketChannel} */
    ConnectExchange(ProxyRoute proxy, String target, int timeoutMillis, boolean selectable) {
        this.proxy = proxy;
        this.target = target;
        this.timeoutMillis = timeoutMillis;
        this.selectable = selectable;
    }

    @Override
    public ProxyAnswer send(Optional<String> authorization, boolean sameConnection) throws IOException {
        boolean fresh = false;
        if (socket == null || !reusable) {
            if (sameConnection) {
                throw lost();
            }
            open();
            fresh = true;
        }
        try {
            return exchange(authorization);
        } catch (ClosedEarly e) {
            // A kept connection the proxy closed without saying so: only a new request may go on a new one.
            if (fresh || sameConnection) {
                if (sameConnection) {
                    throw lost();
                }
                throw eof();
            }
            open();
            try {
                return exchange(authorization);
            } catch (ClosedEarly again) {
                throw eof();
            }
        }
    }

    private ConnectionLost lost() {
        return new ConnectionLost("the proxy closed the connection in the middle of the handshake, which must "
                + "stay on one connection (the proxy has to keep connections alive for this scheme)");
    }

    private void open() throws IOException {
        close();
        socket = selectable ? java.nio.channels.SocketChannel.open().socket() : new Socket();
        socket.connect(new InetSocketAddress(proxy.host(), proxy.port()), timeoutMillis);
        socket.setSoTimeout(timeoutMillis);
    }

    /** The proxy closed the connection before the first byte of its answer. */
    private static final class ClosedEarly extends IOException {
        private static final long serialVersionUID = 1L;
    }

    private ProxyAnswer exchange(Optional<String> authorization) throws IOException {
        StringBuilder req = new StringBuilder()
                .append("CONNECT ").append(target).append(" HTTP/1.1\r\n")
                .append("Host: ").append(target).append("\r\n")
                .append("Proxy-Connection: Keep-Alive\r\n");
        authorization.ifPresent(a -> req.append("Proxy-Authorization: ").append(a).append("\r\n"));
        req.append("\r\n");
        try {
            OutputStream out = socket.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        } catch (java.net.SocketException e) {
            throw new ClosedEarly();
        }
        InputStream in = socket.getInputStream();
        String head = readHead(in);
        List<String> lines = head.lines().toList();
        String statusLine = lines.isEmpty() ? "" : lines.get(0);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/") || !parts[1].matches("\\d{3}")) {
            throw new ProxyException("proxy " + proxy.host() + ":" + proxy.port() + " answered CONNECT " + target
                    + " with '" + WireText.of(statusLine) + "', which is not HTTP; check proxy.host and proxy.port");
        }
        int status = Integer.parseInt(parts[1]);
        List<String> challenges = new ArrayList<>();
        long length = -1;
        boolean chunked = false;
        boolean close = parts[0].equals("HTTP/1.0");
        for (String line : lines.subList(1, lines.size())) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            switch (name) {
                case "proxy-authenticate" -> challenges.add(value);
                case "content-length" -> length = parseLength(value);
                case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                case "connection", "proxy-connection" -> {
                    String v = value.toLowerCase(Locale.ROOT);
                    close = v.contains("close") || (close && !v.contains("keep-alive"));
                }
                default -> { }
            }
        }
        if (status != 200) {
            // Drop the refusal's body so the connection can carry the next attempt; without a length it cannot.
            if (chunked) {
                skipChunks(in);
            } else if (length >= 0) {
                skip(in, length);
            } else {
                close = true;
            }
        }
        reusable = !close;
        // The status line ends up in messages and logs: escaped, since whoever answers on the proxy port wrote it.
        return new ProxyAnswer(status, WireText.of(statusLine.trim()), challenges);
    }

    /** The connection the accepted CONNECT went over, now a tunnel; this exchange lets go of it. */
    Socket tunnel() {
        Socket s = socket;
        socket = null;
        return s;
    }

    @Override
    public void close() throws IOException {
        if (socket != null) {
            socket.close();
            socket = null;
        }
    }

    private long parseLength(String v) throws ProxyException {
        try {
            long n = Long.parseLong(v.trim());
            if (n < 0 || n > MAX_BODY_BYTES) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ProxyException("proxy " + proxy.host() + ":" + proxy.port() + " sent Content-Length '" + v
                    + "' with its answer to CONNECT " + target);
        }
    }

    private void skip(InputStream in, long n) throws IOException {
        long left = n;
        while (left > 0) {
            long k = in.skip(left);
            if (k <= 0) {
                if (in.read() < 0) {
                    throw eof();
                }
                k = 1;
            }
            left -= k;
        }
    }

    private void skipChunks(InputStream in) throws IOException {
        long total = 0;
        while (true) {
            String line = readLine(in);
            int semi = line.indexOf(';');
            long size;
            try {
                size = Long.parseLong((semi < 0 ? line : line.substring(0, semi)).trim(), 16);
            } catch (NumberFormatException e) {
                throw new ProxyException("proxy " + proxy.host() + ":" + proxy.port() + " sent a malformed chunk");
            }
            total += size;
            if (size < 0 || total > MAX_BODY_BYTES) {
                throw new ProxyException("proxy " + proxy.host() + ":" + proxy.port() + " sent an oversized answer");
            }
            if (size == 0) {
                // trailers end with an empty line
                while (!readLine(in).isEmpty()) {
                    // dropped
                }
                return;
            }
            skip(in, size);
            readLine(in);
        }
    }

    private String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw eof();
            }
            if (b == '\n') {
                String s = buf.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            buf.write(b);
            if (buf.size() > MAX_HEADER_BYTES) {
                throw new ProxyException("proxy " + proxy.host() + ":" + proxy.port() + " sent an oversized line");
            }
        }
    }

    /** Reads the answer's head byte by byte so that no byte of the tunnelled stream is consumed. */
    private String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int b = in.read();
            if (b < 0) {
                if (buf.size() == 0) {
                    throw new ClosedEarly();
                }
                throw eof();
            }
            buf.write(b);
            if (buf.size() > MAX_HEADER_BYTES) {
                throw new ProxyException("proxy " + proxy.host() + ":" + proxy.port()
                        + " sent an oversized answer to CONNECT " + target);
            }
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3))
                    ? state + 1 : (b == '\r' ? 1 : 0);
        }
        return buf.toString(StandardCharsets.ISO_8859_1);
    }

    private ProxyException eof() {
        return new ProxyException("proxy " + proxy.host() + ":" + proxy.port() + " closed the connection during CONNECT "
                + target);
    }
}
