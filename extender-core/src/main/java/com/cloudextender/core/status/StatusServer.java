package com.cloudextender.core.status;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.net.ssl.SSLContext;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.cloudextender.core.channel.ChannelState;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The local status server: an administrator's page ({@code /}), {@code /status.json}, Prometheus
 * {@code /metrics}, and {@code /ready} for load balancers. Served by a {@link BoundedHttpServer}: every
 * request has a time limit and its own thread, so slow or idle clients cannot stall {@code /ready}.
 *
 * <p>With a password, every path but {@code /ready} requires HTTP Basic authentication; {@code /ready}
 * tells only the channel state. Failed logins are slowed per client address ({@link LoginThrottle}) and
 * logged at DEBUG only. While bound to loopback, requests must name a loopback host, so that a web page in
 * the administrator's browser cannot read the page through DNS rebinding. Off loopback the page needs
 * TLS ({@code status.keyStore}) unless the administrator explicitly allows plain HTTP.
 *
 * <p>Usage: {@code try (StatusServer s = StatusServer.start(settings, source)) { ... }}
 */
public final class StatusServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StatusServer.class);
    /** How many log lines the page shows. */
    static final int LOG_LINES = 100;
    private static final String SECURITY_POLICY =
            "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'";

    /**
     * How the page is served.
     *
     * @param bind                 address to listen on
     * @param port                 port; 0 picks a free one (tests)
     * @param username             the Basic user name, used only with a password
     * @param password             when present, required on every path but {@code /ready}
     * @param tls                  when present, the page is served over HTTPS only
     * @param allowPlaintextRemote serve plain HTTP on a non-loopback address (status.allowPlaintextRemote)
     */
    public record Settings(String bind, int port, String username, Optional<String> password, Optional<SSLContext> tls,
            boolean allowPlaintextRemote) {
        @Override
        public String toString() {
            return "Settings[bind=" + bind + ", port=" + port + ", tls=" + tls.isPresent() + "]";
        }
    }

    private final BoundedHttpServer server;
    private final StatusSource source;
    private final Optional<BasicAuth> auth;
    private final LoginThrottle logins;
    private final boolean loopbackOnly;
    private final LogRing log;
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private StatusServer(BoundedHttpServer.Limits limits, Settings settings, InetAddress address, StatusSource source,
            Clock clock) throws IOException {
        this.source = source;
        this.auth = settings.password().map(p -> new BasicAuth(settings.username(), p));
        this.logins = new LoginThrottle(clock);
        this.loopbackOnly = address.isLoopbackAddress();
        this.log = LogRing.attachToRoot(LOG_LINES);
        try {
            this.server = BoundedHttpServer.start(new InetSocketAddress(address, settings.port()), settings.tls(),
                    limits, this::handle, "status-http");
        } catch (IOException | RuntimeException e) {
            log.detach();
            throw e;
        }
    }

    /** Plain HTTP with the default limits; see {@link #start(Settings, StatusSource)}. */
    public static StatusServer start(String bind, int port, String username, Optional<String> password,
            StatusSource source) throws IOException {
        return start(new Settings(bind, port, username, password, Optional.empty(), false), source);
    }

    /**
     * Listens and starts serving.
     *
     * @throws IOException              when the address cannot be bound (for example, the port is taken)
     * @throws IllegalArgumentException when a non-loopback address lacks a password, or lacks TLS without
     *                                  {@code allowPlaintextRemote}
     */
    public static StatusServer start(Settings settings, StatusSource source) throws IOException {
        return start(settings, source, BoundedHttpServer.Limits.DEFAULT, Clock.systemUTC());
    }

    static StatusServer start(Settings settings, StatusSource source, BoundedHttpServer.Limits limits, Clock clock)
            throws IOException {
        InetAddress address = InetAddress.getByName(settings.bind());
        boolean loopback = address.isLoopbackAddress();
        // ConfigLoader refuses these already; checked again here because the page shows the whole state.
        if (!loopback && settings.password().isEmpty()) {
            throw new IllegalArgumentException("status.password: required when status.bind (" + settings.bind()
                    + ") is not a loopback address");
        }
        if (!loopback && settings.tls().isEmpty() && !settings.allowPlaintextRemote()) {
            throw new IllegalArgumentException("status.keyStore: required when status.bind (" + settings.bind()
                    + ") is not a loopback address, so that the password and the page do not cross the network in "
                    + "clear; or set status.allowPlaintextRemote=true to accept that");
        }
        StatusServer s = new StatusServer(limits, settings, address, source, clock);
        String scheme = settings.tls().isPresent() ? "https" : "http";
        LOG.info("Status page on {}://{}:{}/ ({})", scheme, hostForUrl(address), s.port(),
                settings.password().isPresent() ? "password required" : "no password; loopback only");
        if (!loopback && settings.tls().isEmpty()) {
            LOG.warn("The status page is served WITHOUT TLS on {} (status.allowPlaintextRemote=true): its password "
                    + "and the extender's state cross the network in clear. Set status.keyStore.", settings.bind());
        }
        return s;
    }

    /** The port listened on. */
    public int port() {
        return server.port();
    }

    private BoundedHttpServer.Response handle(BoundedHttpServer.Request req) {
        String method = req.method();
        try {
            if (!method.equals("GET") && !method.equals("HEAD")) {
                return answer(405, "text/plain", method + " is not allowed here; use GET\n", Map.of("Allow", "GET, HEAD"));
            }
            if (loopbackOnly && !isLoopbackHost(req.header("Host").orElse(null))) {
                return answer(403, "text/plain", "this status page answers only to localhost, 127.0.0.1 or [::1]\n");
            }
            String path = req.path();
            if (path.equals("/ready")) {
                return ready();
            }
            if (auth.isPresent()) {
                Optional<BoundedHttpServer.Response> refused = authenticate(req);
                if (refused.isPresent()) {
                    return refused.get();
                }
            }
            return switch (path) {
                case "/", "/index.html" -> answer(200, "text/html", StatusHtmlPage.render(source, log.lines()));
                case "/metrics" -> answer(200, PrometheusText.CONTENT_TYPE, MetricsPage.render(source));
                case "/status.json" -> answer(200, "application/json", json.writeValueAsString(source.report().get()));
                default -> answer(404, "text/plain", "no page " + path + "; see /, /status.json, /metrics, /ready\n");
            };
        } catch (IOException | RuntimeException e) {
            LOG.warn("status page: could not render {}: {}", req.path(), e.toString());
            return answer(500, "text/plain", "the status page failed; see the extender log\n");
        }
    }

    /** Empty when the request carries the right credentials; else the answer that refuses it. */
    private Optional<BoundedHttpServer.Response> authenticate(BoundedHttpServer.Request req) {
        InetAddress client = req.client();
        Optional<Duration> wait = logins.waitFor(client);
        if (wait.isPresent()) {
            // The password is not even checked while the address waits: guessing gets no faster by trying.
            long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
            return Optional.of(answer(429, "text/plain", "too many failed logins from this address; try again in "
                    + seconds + " s\n", Map.of("Retry-After", Long.toString(seconds))));
        }
        if (auth.get().accepts(req.header("Authorization").orElse(null))) {
            logins.succeeded(client);
            LOG.debug("status page: login from {}", client.getHostAddress());
            return Optional.empty();
        }
        if (req.header("Authorization").isPresent()) {
            logins.failed(client);
            LOG.debug("status page: failed login from {}", client.getHostAddress());
        }
        return Optional.of(answer(401, "text/plain", "the status page needs the user name and status.password\n",
                Map.of("WWW-Authenticate", BasicAuth.CHALLENGE)));
    }

    private BoundedHttpServer.Response ready() {
        ChannelState state = source.channelState().get();
        if (state == ChannelState.CONNECTED) {
            return answer(200, "text/plain", "ready\n");
        }
        return answer(503, "text/plain", "not ready: " + state + "\n");
    }

    private static BoundedHttpServer.Response answer(int status, String type, String body) {
        return answer(status, type, body, Map.of());
    }

    private static BoundedHttpServer.Response answer(int status, String type, String body, Map<String, String> extra) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", type.contains("charset") ? type : type + "; charset=utf-8");
        h.put("Cache-Control", "no-store");
        h.put("X-Content-Type-Options", "nosniff");
        h.put("Referrer-Policy", "no-referrer");
        h.put("Content-Security-Policy", SECURITY_POLICY);
        h.putAll(extra);
        return new BoundedHttpServer.Response(status, h, body.getBytes(StandardCharsets.UTF_8));
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
        server.close();
        log.detach();
    }
}
