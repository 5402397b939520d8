package com.cloudextender.e2e;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One keep-alive connection to the dev cloud's MEG gateway (an HTTP proxy), written by hand so a test
 * controls exactly which requests share the connection and when body bytes are sent.
 */
final class GatewayClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final String proxyAuth;

    /** A response: status, headers (names lower-cased, last value kept) and body. */
    record Response(int status, Map<String, String> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        String header(String name) {
            return headers.get(name);
        }
    }

    GatewayClient(int port, String user, String password) throws IOException {
        socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(30_000);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
        proxyAuth = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** Sends a request head (absolute-form {@code url}) with {@code headers} ("Name: value") and no body of its own. */
    void sendHead(String method, String url, String... headers) throws IOException {
        StringBuilder s = new StringBuilder(method + " " + url + " HTTP/1.1\r\n");
        s.append("Host: ").append(url.startsWith("http") ? java.net.URI.create(url).getRawAuthority() : url).append("\r\n");
        s.append("Proxy-Authorization: ").append(proxyAuth).append("\r\n");
        for (String h : headers) {
            s.append(h).append("\r\n");
        }
        out.write(s.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    void sendBytes(byte[] b) throws IOException {
        out.write(b);
        out.flush();
    }

    /** GET {@code url} with {@code headers}, and its response. */
    Response get(String url, String... headers) throws IOException {
        sendHead("GET", url, headers);
        return read(false);
    }

    /** Reads the next response (an interim 1xx too); {@code headOnly} for CONNECT's answer. */
    Response read(boolean headOnly) throws IOException {
        String status = LoopbackServer.readLine(in);
        if (status.isEmpty()) {
            throw new IOException("the gateway closed the connection");
        }
        Map<String, String> h = new TreeMap<>();
        for (String line; !(line = LoopbackServer.readLine(in)).isEmpty();) {
            int colon = line.indexOf(':');
            h.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        int code = Integer.parseInt(status.split(" ")[1]);
        if (headOnly || code < 200 || code == 204 || code == 304) {
            return new Response(code, h, new byte[0]);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if ("chunked".equalsIgnoreCase(h.get("transfer-encoding"))) {
            for (int n; (n = Integer.parseInt(LoopbackServer.readLine(in).split(";")[0].trim(), 16)) > 0;) {
                body.write(in.readNBytes(n));
                LoopbackServer.readLine(in);
            }
            LoopbackServer.readLine(in);
        } else if (h.containsKey("content-length")) {
            body.write(in.readNBytes(Integer.parseInt(h.get("content-length"))));
        } else {
            body.write(in.readAllBytes());
        }
        return new Response(code, h, body.toByteArray());
    }

    InputStream in() {
        return in;
    }

    OutputStream out() {
        return out;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
