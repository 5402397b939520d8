package com.cloudextender.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A target for {@code Expect: 100-continue}, by path: {@code /reject} answers 417 and {@code /login}
 * 401 as soon as the head arrives; {@code /continue} waits 300 ms, notes whether body bytes came
 * before it said {@code 100 Continue}, says it, reads the body and answers 200; {@code /silent} never
 * says 100 and answers once the body arrived. {@link #bodyEarly} and {@link #bodySeenAfterFinal}
 * record, per path, what a test asserts.
 */
final class ExpectContinueServer extends LoopbackServer {
    /** Per path: body bytes had arrived before the server answered anything. */
    final Map<String, Boolean> bodyEarly = new ConcurrentHashMap<>();
    /** Per path: body bytes arrived after a final status that refused the body. */
    final Map<String, Boolean> bodySeenAfterFinal = new ConcurrentHashMap<>();

    ExpectContinueServer() throws IOException {
    }

    @Override
    void serve(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream();
        Head h = readHead(in);
        if (h == null) {
            return;
        }
        switch (h.target()) {
            case "/reject", "/login" -> {
                if (h.target().equals("/reject")) {
                    respond(out, 417, "Expectation Failed", "", "Connection: close");
                } else {
                    respond(out, 401, "Unauthorized", "", "WWW-Authenticate: Basic realm=\"x\"", "Connection: close");
                }
                s.setSoTimeout(1500);
                boolean seen;
                try {
                    seen = in.read() >= 0;
                } catch (java.net.SocketTimeoutException e) {
                    seen = false;
                }
                bodySeenAfterFinal.put(h.target(), seen);
            }
            case "/continue" -> {
                sleep(300);
                bodyEarly.put(h.target(), in.available() > 0);
                out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                long n = skipBody(in, h);
                respond(out, 200, "OK", "received " + n + " bytes\n");
            }
            default -> {
                long n = skipBody(in, h);
                respond(out, 200, "OK", "received " + n + " bytes without 100\n");
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
