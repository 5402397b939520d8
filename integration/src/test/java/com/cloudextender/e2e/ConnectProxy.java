package com.cloudextender.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small authenticating HTTP CONNECT proxy on loopback for tests: Basic credentials required, only
 * loopback destinations, and a record of every tunnel it opened.
 */
final class ConnectProxy implements AutoCloseable {
    private final ServerSocket server;
    private final String expectedAuth;
    final List<String> tunnels = new CopyOnWriteArrayList<>();
    final List<String> refused = new CopyOnWriteArrayList<>();

    ConnectProxy(String user, String password) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        expectedAuth = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        Thread t = new Thread(this::acceptLoop, "test-proxy");
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Thread t = new Thread(() -> serve(client), "test-proxy-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            OutputStream out = client.getOutputStream();
            // Like squid, keep the connection after a 407 so the client can answer the challenge on it.
            while (true) {
                String head = readHead(in);
                if (head.isEmpty()) {
                    return;
                }
                String[] request = head.lines().findFirst().orElse("").split(" ");
                String auth = head.lines().filter(l -> l.regionMatches(true, 0, "Proxy-Authorization:", 0, 20))
                        .map(l -> l.substring(20).trim()).findFirst().orElse("");
                if (request.length < 2 || !request[0].equals("CONNECT")) {
                    out.write("HTTP/1.1 405 Method Not Allowed\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    return;
                }
                if (!auth.equals(expectedAuth)) {
                    refused.add(request[1]);
                    out.write(("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"\r\n"
                            + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    continue;
                }
                tunnel(request[1], in, out, client);
                return;
            }
        } catch (IOException e) {
            // a side closed: the tunnel ends
        }
    }

    private void tunnel(String target, InputStream in, OutputStream out, Socket client) throws IOException {
        int colon = target.lastIndexOf(':');
        String host = target.substring(0, colon);
        if (!host.equals("localhost") && !host.equals("127.0.0.1")) {
            out.write("HTTP/1.1 403 Forbidden\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            return;
        }
        try (Socket upstream = new Socket(InetAddress.getLoopbackAddress(), Integer.parseInt(target.substring(colon + 1)))) {
            tunnels.add(target);
            out.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            Thread up = new Thread(() -> pump(in, upstream), "test-proxy-up");
            up.setDaemon(true);
            up.start();
            pump(upstream.getInputStream(), client);
        }
    }

    private static void pump(InputStream from, Socket to) {
        byte[] buf = new byte[16384];
        try {
            OutputStream out = to.getOutputStream();
            for (int n; (n = from.read(buf)) >= 0;) {
                out.write(buf, 0, n);
                out.flush();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            // closed
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            b.write(c);
            matched = (c == '\r' && matched % 2 == 0) || (c == '\n' && matched % 2 == 1) ? matched + 1 : 0;
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
