package com.cloudextender.devcloud.http;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

/**
 * The HTTPS server that carries registration, upload slots and the console, on one port bound to the
 * loopback address. The JDK server is enough for a reference cloud: requests are few and small,
 * except uploads, which are streamed to disk.
 */
public final class ApiServer implements AutoCloseable {
    private static final int WORKERS = 8;

    private final HttpsServer server;
    private final ExecutorService workers;

    private ApiServer(HttpsServer server, ExecutorService workers) {
        this.server = server;
        this.workers = workers;
    }

    /** Binds to {@code bindAddress:port} (0 = any free port) without starting; add contexts, then {@link #start}. */
    public static ApiServer bind(InetAddress bindAddress, int port, SSLContext tls) throws IOException {
        HttpsServer server;
        try {
            server = HttpsServer.create(new InetSocketAddress(bindAddress, port), 64);
        } catch (IOException e) {
            throw new IOException("cannot listen for HTTPS on " + bindAddress.getHostAddress() + ":" + port + ": "
                    + e.getMessage(), e);
        }
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        ExecutorService workers = Executors.newFixedThreadPool(WORKERS, daemonThreads("dev-cloud-https-"));
        server.setExecutor(workers);
        return new ApiServer(server, workers);
    }

    /** Routes requests whose path starts with {@code pathPrefix} to {@code handler} (longest prefix wins). */
    public void route(String pathPrefix, HttpHandler handler) {
        server.createContext(pathPrefix, handler);
    }

    public void start() {
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code https://localhost:PORT}: the name the certificate covers. */
    public URI url() {
        return URI.create("https://localhost:" + port());
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }

    static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
