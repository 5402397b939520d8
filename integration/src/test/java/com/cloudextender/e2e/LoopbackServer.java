package com.cloudextender.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A plain-socket HTTP/1.1 server on 127.0.0.1 for the MEG tests: one thread per connection, each
 * connection handed to {@link #serve}. Heads are read byte by byte, so that a body sent right after
 * them stays in the socket (the tests look at when body bytes arrive).
 */
abstract class LoopbackServer implements AutoCloseable {
    private final ServerSocket server;
    private final AtomicInteger connections = new AtomicInteger();

    LoopbackServer() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, getClass().getSimpleName());
        t.setDaemon(true);
        t.start();
    }

    /** One request's head: method, target, headers (names lower-cased). */
    record Head(String method, String target, Map<String, String> headers) {
        String header(String name) {
            return headers.get(name);
        }

        long contentLength() {
            String v = headers.get("content-length");
            return v == null ? 0 : Long.parseLong(v.trim());
        }
    }

    int port() {
        return server.getLocalPort();
    }

    /** TCP connections accepted so far. */
    int connections() {
        return connections.get();
    }

    abstract void serve(Socket s) throws IOException;

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                connections.incrementAndGet();
                Thread t = new Thread(() -> {
                    try (s) {
                        serve(s);
                    } catch (IOException e) {
                        // the peer went away: nothing to serve
                    }
                }, getClass().getSimpleName() + "-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    /** The next request head on {@code in}, or null at the end of the stream. */
    static Head readHead(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int c = in.read();
            if (c < 0) {
                return null;
            }
            b.write(c);
            state = (c == '\r' && (state == 0 || state == 2)) || (c == '\n' && (state == 1 || state == 3)) ? state + 1
                    : 0;
        }
        String[] lines = b.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        String[] first = lines[0].split(" ");
        Map<String, String> h = new TreeMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                h.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
        }
        return new Head(first[0], first[1], h);
    }

    /** Reads and drops a body of {@code length} bytes, or a chunked one; returns its size. */
    static long skipBody(InputStream in, Head head) throws IOException {
        if ("chunked".equalsIgnoreCase(head.header("transfer-encoding"))) {
            long total = 0;
            while (true) {
                String size = readLine(in);
                int n = Integer.parseInt(size.split(";")[0].trim(), 16);
                if (n == 0) {
                    readLine(in);
                    return total;
                }
                in.readNBytes(n);
                readLine(in);
                total += n;
            }
        }
        return in.readNBytes((int) head.contentLength()).length;
    }

    static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c; (c = in.read()) >= 0 && c != '\n';) {
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    static void respond(OutputStream out, int status, String reason, String body, String... headers)
            throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        StringBuilder s = new StringBuilder("HTTP/1.1 " + status + " " + reason + "\r\n");
        for (String h : headers) {
            s.append(h).append("\r\n");
        }
        s.append("Content-Length: ").append(b.length).append("\r\n\r\n");
        out.write(s.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(b);
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
