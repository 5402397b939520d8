package com.cloudextender.core.status;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.cloudextender.core.channel.ChannelState;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The local status server: an administrator's page ({@code /}), {@code /status.json}, Prometheus
 * {@code /metrics}, and {@code /ready} for load balancers. Built on the JDK's HTTP server with two
 * threads: it serves a few people and a scraper, and must never take CPU from commands.
 *
 * <p>With a password, every path but {@code /ready} requires HTTP Basic authentication; {@code /ready}
 * tells only the channel state. While bound to loopback, requests must name a loopback host, so that a
 * web page in the administrator's browser cannot read the page through DNS rebinding.
 *
 * <p>Usage: {@code try (StatusServer s = StatusServer.start(settings, source)) { ... }}
 */
public final class StatusServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StatusServer.class);
    /** How many log lines the page shows. */
    static final int LOG_LINES = 100;
    private static final String SECURITY_POLICY =
            "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'";

    private final HttpServer server;
    private final ExecutorService threads;
    private final StatusSource source;
    private final Optional<BasicAuth> auth;
    private final boolean loopbackOnly;
    private final LogRing log;
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private StatusServer(HttpServer server, ExecutorService threads, StatusSource source, Optional<BasicAuth> auth,
            boolean loopbackOnly, LogRing log) {
        this.server = server;
        this.threads = threads;
        this.source = source;
        this.auth = auth;
        this.loopbackOnly = loopbackOnly;
        this.log = log;
    }

    /**
     * Listens on {@code bind}:{@code port} (port 0 picks a free one, for tests) and starts serving.
     *
     * @param username the Basic user name, used only with a password
     * @param password when present, required on every path but {@code /ready}
     * @throws IOException when the address cannot be bound (for example, the port is taken)
     */
    public static StatusServer start(String bind, int port, String username, Optional<String> password,
            StatusSource source) throws IOException {
        InetAddress address = InetAddress.getByName(bind);
        if (!address.isLoopbackAddress() && password.isEmpty()) {
            // ConfigLoader refuses this already; checked again here because the page shows the whole state.
            throw new IllegalArgumentException("status.password: required when status.bind (" + bind
                    + ") is not a loopback address");
        }
        HttpServer server = HttpServer.create(new InetSocketAddress(address, port), 16);
        AtomicInteger n = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "status-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(threads);
        StatusServer s = new StatusServer(server, threads, source,
                password.map(p -> new BasicAuth(username, p)), address.isLoopbackAddress(),
                LogRing.attachToRoot(LOG_LINES));
        server.createContext("/", s::handle);
        server.start();
        LOG.info("Status page on http://{}:{}/ ({})", hostForUrl(address), s.port(),
                password.isPresent() ? "password required" : "no password; loopback only");
        return s;
    }

    /** The port listened on. */
    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                ex.getResponseHeaders().set("Allow", "GET, HEAD");
                send(ex, 405, "text/plain", method + " is not allowed here; use GET\n");
                return;
            }
            if (loopbackOnly && !isLoopbackHost(ex.getRequestHeaders().getFirst("Host"))) {
                send(ex, 403, "text/plain", "this status page answers only to localhost, 127.0.0.1 or [::1]\n");
                return;
            }
            String path = ex.getRequestURI().getPath();
            if (path.equals("/ready")) {
                ready(ex);
                return;
            }
            if (auth.isPresent() && !auth.get().accepts(ex.getRequestHeaders().getFirst("Authorization"))) {
                ex.getResponseHeaders().set("WWW-Authenticate", BasicAuth.CHALLENGE);
                send(ex, 401, "text/plain", "the status page needs the user name and status.password\n");
                return;
            }
            switch (path) {
                case "/", "/index.html" -> send(ex, 200, "text/html", StatusHtmlPage.render(source, log.lines()));
                case "/metrics" -> send(ex, 200, PrometheusText.CONTENT_TYPE, MetricsPage.render(source));
                case "/status.json" -> send(ex, 200, "application/json",
                        json.writeValueAsString(source.report().get()));
                default -> send(ex, 404, "text/plain", "no page " + path + "; see /, /status.json, /metrics, /ready\n");
            }
        } catch (IOException e) {
            LOG.debug("status page: answering a request failed: {}", e.toString());
        } catch (RuntimeException e) {
            LOG.warn("status page: could not render {}: {}", ex.getRequestURI().getPath(), e.toString());
            try {
                send(ex, 500, "text/plain", "the status page failed; see the extender log\n");
            } catch (IOException | RuntimeException ignored) {
                // the response may have begun already; the connection is closed either way
            }
        }
    }

    private void ready(HttpExchange ex) throws IOException {
        ChannelState state = source.channelState().get();
        if (state == ChannelState.CONNECTED) {
            send(ex, 200, "text/plain", "ready\n");
        } else {
            send(ex, 503, "text/plain", "not ready: " + state + "\n");
        }
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        var h = ex.getResponseHeaders();
        h.set("Content-Type", type.contains("charset") ? type : type + "; charset=utf-8");
        h.set("Cache-Control", "no-store");
        h.set("X-Content-Type-Options", "nosniff");
        h.set("Referrer-Policy", "no-referrer");
        h.set("Content-Security-Policy", SECURITY_POLICY);
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** True when a Host header names a loopback host: localhost, 127.x.x.x or [::1], with any port. */
    static boolean isLoopbackHost(String hostHeader) {
        if (hostHeader == null) {
            return false;
        }
        String host = hostHeader.trim().toLowerCase(java.util.Locale.ROOT);
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end > 0 && host.substring(1, end).equals("::1");
        }
        int colon = host.indexOf(':');
        if (colon >= 0) {
            host = host.substring(0, colon);
        }
        return host.equals("localhost") || host.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }

    private static String hostForUrl(InetAddress a) {
        String h = a.getHostAddress();
        return h.contains(":") ? "[" + h + "]" : h;
    }

    /** The log lines the page shows now, oldest first; for tests. */
    List<LogLine> logLines() {
        return log.lines();
    }

    /** Stops listening at once (a scrape in progress is cut) and detaches the log ring. */
    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
        log.detach();
    }
}
