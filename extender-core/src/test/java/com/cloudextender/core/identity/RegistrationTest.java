package com.cloudextender.core.identity;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

class RegistrationTest {
    private static RegistrationException refusedWith(String body) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/v1/register", exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(403, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        try (CloseableHttpClient http = HttpClients.createDefault()) {
            Registration r = new Registration(http, URI.create("http://127.0.0.1:" + server.getAddress().getPort()));
            return assertThrows(RegistrationException.class, () -> r.register("code", "host", "1.0", "fp", 0));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void theCloudsReasonIsEscapedAndCutBeforeItReachesTheLog() throws Exception {
        RegistrationException e = refusedWith("{\"error\":\"expired\\r\\n10:00:00.000 INFO  forged line "
                + "x".repeat(400) + "\"}");
        assertFalse(e.getMessage().contains("\n") || e.getMessage().contains("\r"), e.getMessage());
        assertTrue(e.getMessage().contains("expired\\r\\n10:00:00.000 INFO"), e.getMessage());
        assertTrue(e.getMessage().contains("…[+"), e.getMessage());
    }
}
