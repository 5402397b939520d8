package com.cloudextender.core.status;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small HTTP/1.1 server for GET-style pages, made to stay available under abuse: every connection has
 * one hard time limit for the whole exchange (a client that sends half a request and stops is cut when it
 * runs out), request heads are bounded in size, connections are bounded in total and per client address,
 * and each connection has its own thread so that a slow client never holds up another. One request per
 * connection ({@code Connection: close}). With an {@link SSLContext} it speaks TLS only.
 *
 * <p>The JDK's HTTP server reads request heads on its worker threads without a time limit, so two idle
 * connections stalled a two-thread page; this server exists for that reason.
 */
final class BoundedHttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BoundedHttpServer.class);

    /**
     * The bounds.
     *
     * @param requestTime   longest time from accepting a connection to the end of its answer
     * @param maxConnections connections served at once; more are closed on accept
     * @param maxPerClient  connections of one client address served at once
     * @param maxHeadBytes  largest request line and headers accepted
     */
    record Limits(Duration requestTime, int maxConnections, int maxPerClient, int maxHeadBytes) {
        static final Limits DEFAULT = new Limits(Duration.ofSeconds(10), 16, 8, 8192);
    }

    /** A parsed request: method, decoded path, headers by lower-case name (first value), client address. */
    record Request(String method, String path, Map<String, String> headers, InetAddress client) {
        Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
        }
    }

    /** An answer; {@code headers} are sent as given, after the status line. */
    record Response(int status, Map<String, String> headers, byte[] body) {
    }

    /** Turns a request into a response; runs on the connection's thread. */
    interface Handler {
        Response handle(Request request);
    }

    private final ServerSocket socket;
    private final Limits limits;
    private final Handler handler;
    private final ThreadPoolExecutor workers;
    private final ScheduledExecutorService timer;
    private final Thread acceptor;
    private final Map<InetAddress, Integer> perClient = new HashMap<>();
    private int open;
    private volatile boolean closed;

    private BoundedHttpServer(ServerSocket socket, Limits limits, Handler handler, String name) {
        this.socket = socket;
        this.limits = limits;
        this.handler = handler;
        AtomicInteger n = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(limits.maxConnections(), limits.maxConnections(), 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> daemon(r, name + "-" + n.incrementAndGet()));
        workers.allowCoreThreadTimeOut(true);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, name + "-timer"));
        this.acceptor = daemon(this::acceptLoop, name + "-accept");
    }

    /**
     * Binds {@code address} and starts serving.
     *
     * @param tls when present, connections are TLS (TLS 1.2 or 1.3) with this context's key
     * @throws IOException when the address cannot be bound
     */
    static BoundedHttpServer start(InetSocketAddress address, Optional<SSLContext> tls, Limits limits,
            Handler handler, String name) throws IOException {
        ServerSocket s;
        if (tls.isPresent()) {
            SSLServerSocket ssl = (SSLServerSocket) tls.get().getServerSocketFactory().createServerSocket();
            ssl.setEnabledProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
            s = ssl;
        } else {
            s = new ServerSocket();
        }
        try {
            s.setReuseAddress(true);
            s.bind(address, 50);
        } catch (IOException e) {
            s.close();
            throw e;
        }
        BoundedHttpServer server = new BoundedHttpServer(s, limits, handler, name);
        server.acceptor.start();
        return server;
    }

    int port() {
        return socket.getLocalPort();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket s;
            try {
                s = socket.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.debug("status page: accept failed: {}", e.toString());
                    pause(); // for example out of file descriptors: do not spin
                }
                continue;
            }
            InetAddress client = s.getInetAddress();
            if (!admit(client)) {
                LOG.debug("status page: too many connections (from {}); one closed", client.getHostAddress());
                closeQuietly(s);
                continue;
            }
            try {
                workers.execute(() -> serve(s, client));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                release(client); // closing
                closeQuietly(s);
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized boolean admit(InetAddress client) {
        int mine = perClient.getOrDefault(client, 0);
        if (open >= limits.maxConnections() || mine >= limits.maxPerClient()) {
            return false;
        }
        open++;
        perClient.put(client, mine + 1);
        return true;
    }

    private synchronized void release(InetAddress client) {
        open--;
        perClient.computeIfPresent(client, (k, v) -> v <= 1 ? null : v - 1);
    }

    private void serve(Socket s, InetAddress client) {
        // The hard limit: whatever the client does (drip bytes, stall a TLS handshake, not read), it ends here.
        ScheduledFuture<?> cut = timer.schedule(() -> closeQuietly(s), limits.requestTime().toMillis(),
                TimeUnit.MILLISECONDS);
        long deadline = System.nanoTime() + limits.requestTime().toNanos();
        try (s) {
            Response response;
            boolean head = false;
            try {
                Request request = read(s, client, deadline);
                head = request.method().equals("HEAD");
                response = handler.handle(request);
            } catch (BadRequest e) {
                response = new Response(e.status, Map.of("Content-Type", "text/plain; charset=utf-8"),
                        (e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8));
            }
            write(s.getOutputStream(), response, head);
        } catch (SocketTimeoutException e) {
            LOG.debug("status page: {} did not send a whole request within {}", client.getHostAddress(),
                    limits.requestTime());
        } catch (IOException e) {
            LOG.debug("status page: a connection from {} failed: {}", client.getHostAddress(), e.toString());
        } finally {
            cut.cancel(false);
            release(client);
        }
    }

    private Request read(Socket s, InetAddress client, long deadline) throws IOException, BadRequest {
        InputStream in = s.getInputStream();
        byte[] buf = new byte[limits.maxHeadBytes()];
        int len = 0;
        int end;
        while ((end = endOfHead(buf, len)) < 0) {
            if (len == buf.length) {
                throw new BadRequest(431, "the request head is larger than " + buf.length + " bytes");
            }
            long remaining = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (remaining <= 0) {
                throw new SocketTimeoutException("request time limit");
            }
            s.setSoTimeout((int) Math.min(Integer.MAX_VALUE, remaining));
            int n = in.read(buf, len, buf.length - len);
            if (n < 0) {
                throw new SocketException("the client closed the connection mid-request");
            }
            len += n;
        }
        String[] lines = new String(buf, 0, end, StandardCharsets.ISO_8859_1).split("\r?\n");
        String[] first = lines[0].split(" ");
        if (first.length != 3 || !first[2].startsWith("HTTP/1.")) {
            throw new BadRequest(400, "not an HTTP/1.x request line");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                throw new BadRequest(400, "malformed header line");
            }
            headers.putIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    lines[i].substring(colon + 1).trim());
        }
        String path;
        try {
            path = new URI(first[1]).getPath();
        } catch (URISyntaxException e) {
            throw new BadRequest(400, "malformed request target");
        }
        if (path == null || !path.startsWith("/")) {
            throw new BadRequest(400, "malformed request target");
        }
        return new Request(first[0], path, Map.copyOf(headers), client);
    }

    /** The length of the request head up to its blank line (CRLF CRLF, or LF LF), or -1. */
    private static int endOfHead(byte[] b, int len) {
        for (int i = 0; i + 1 < len; i++) {
            if (b[i] == '\n' && b[i + 1] == '\n') {
                return i;
            }
            if (i + 3 < len && b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static void write(OutputStream out, Response r, boolean head) throws IOException {
        StringBuilder h = new StringBuilder("HTTP/1.1 ").append(r.status()).append(' ').append(reason(r.status()))
                .append("\r\n");
        r.headers().forEach((k, v) -> h.append(k).append(": ").append(v).append("\r\n"));
        h.append("Content-Length: ").append(r.body().length).append("\r\nConnection: close\r\n\r\n");
        out.write(h.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (!head) {
            out.write(r.body());
        }
        out.flush();
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large";
            case 503 -> "Service Unavailable";
            default -> status >= 500 ? "Server Error" : "Status";
        };
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    /** Stops listening and cuts the connections being served. */
    @Override
    public void close() {
        closed = true;
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
        workers.shutdownNow();
        timer.shutdownNow();
    }

    /** A request this server answers itself, without the handler. */
    private static final class BadRequest extends Exception {
        private static final long serialVersionUID = 1L;
        private final int status;

        BadRequest(int status, String message) {
            super(message);
            this.status = status;
        }
    }
}
