package com.cloudextender.modules.meg.tunnel;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import javax.net.SocketFactory;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.cloudextender.api.OutboundProxies;
import com.cloudextender.api.ProxyRoute;
import com.cloudextender.modules.meg.MegMetrics;
import com.cloudextender.modules.meg.config.MegConfig;
import com.cloudextender.modules.meg.config.RelayAddress;
import com.cloudextender.modules.meg.relay.RelayServices;
import com.cloudextender.modules.meg.relay.StreamRelay;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.proxy.HttpProxyHandler;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.resolver.NoopAddressResolverGroup;

/**
 * The tunnel: a fixed number of outbound TLS connections to the relay, each speaking HTTP/2 (ALPN
 * {@code h2}) with this side in the server role, so that the relay opens one stream per user request.
 * Every connection goes through the extender's proxy decision, verifies the relay's certificate and
 * host name, is watched by PINGs ({@link Liveness}) and comes back after a failure with capped,
 * jittered exponential backoff, trying the next relay address each time. Thread-safe.
 */
public final class Tunnel implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Tunnel.class);
    /** A connection that stayed up this long resets its backoff. */
    private static final Duration STABLE = Duration.ofSeconds(30);
    /** The connection-level flow-control window we grant the relay (all streams of a connection together). */
    private static final int CONNECTION_WINDOW = 8 * 1024 * 1024;
    /** Upload DATA frames up to 64 KiB (HTTP/2's default is 16 KiB): fewer frames and flushes per MiB. */
    private static final int MAX_FRAME = 64 * 1024;

    private final MegConfig config;
    private final EventLoopGroup group;
    private final OutboundProxies proxies;
    private final SslContext relayTls;
    private final RelayServices services;
    private final MegMetrics metrics;
    private final List<Slot> slots = new ArrayList<>();
    /** Opens tunnels through the extender (blocking: a proxy handshake), never on an event loop. */
    private final ExecutorService connector = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "meg-proxy-connect");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean closed;

    public Tunnel(MegConfig config, EventLoopGroup group, OutboundProxies proxies, SslContext relayTls,
            RelayServices services, MegMetrics metrics) {
        this.config = config;
        this.group = group;
        this.proxies = proxies;
        this.relayTls = relayTls;
        this.services = services;
        this.metrics = metrics;
        for (int i = 0; i < config.connections(); i++) {
            slots.add(new Slot(i));
        }
    }

    /** Opens every connection (asynchronously). */
    public void start() {
        slots.forEach(Slot::connect);
    }

    /** Each connection's state, for the status action. */
    public List<Map<String, Object>> status() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Slot s : slots) {
            out.add(s.status());
        }
        return out;
    }

    /** The number of connections that are up now. */
    public int connectionsUp() {
        return (int) slots.stream().filter(s -> s.up != null).count();
    }

    /** Closes every connection (their streams fail) and stops reconnecting. */
    @Override
    public void close() {
        closed = true;
        connector.shutdownNow();
        for (Slot s : slots) {
            Channel c = s.channel;
            if (c != null) {
                c.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
            }
        }
    }

    /** One connection and its reconnect state. */
    private final class Slot {
        private final int index;
        private final Backoff backoff;
        private int relayIndex;
        private volatile Channel channel;
        private volatile Instant up;
        private volatile String state = "connecting";
        private volatile String lastError;
        private volatile RelayAddress relay;

        Slot(int index) {
            this.index = index;
            this.relayIndex = index;
            this.backoff = new Backoff(config.backoffInitial(), config.backoffMax(),
                    () -> ThreadLocalRandom.current().nextDouble());
        }

        void connect() {
            if (closed) {
                return;
            }
            RelayAddress a = config.relays().get(relayIndex % config.relays().size());
            relay = a;
            state = "connecting";
            Optional<ProxyRoute> route;
            try {
                route = proxies.routeFor(a.host(), a.port());
            } catch (RuntimeException e) {
                failed(null, "the proxy decision failed: " + e.getMessage());
                return;
            }
            Optional<SocketFactory> tunnels = route.isPresent() ? proxies.tunnels() : Optional.empty();
            if (tunnels.isPresent()) {
                connectThroughExtender(a, route.get(), tunnels.get());
                return;
            }
            Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) config.connectTimeout().toMillis())
                    .option(ChannelOption.SO_KEEPALIVE, true)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            if (route.isPresent()) {
                                ch.pipeline().addLast(proxyHandler(route.get()));
                            }
                            ch.pipeline().addLast(TlsContexts.handler(relayTls, ch.alloc(), a.host(), a.port(),
                                    config.connectTimeout().toMillis()));
                            ch.pipeline().addLast(new Negotiation(Slot.this));
                        }
                    });
            SocketAddress remote;
            if (route.isPresent()) {
                b.resolver(NoopAddressResolverGroup.INSTANCE); // the proxy resolves the relay's name
                remote = InetSocketAddress.createUnresolved(a.host(), a.port());
            } else {
                remote = new InetSocketAddress(a.host(), a.port());
            }
            ChannelFuture f = b.connect(remote);
            channel = f.channel();
            f.addListener((ChannelFuture cf) -> {
                if (!cf.isSuccess()) {
                    failed(null, "cannot connect to " + a + route.map(r -> " through proxy " + r).orElse("") + ": "
                            + rootMessage(cf.cause()));
                } else {
                    cf.channel().closeFuture().addListener(c -> ended(cf.channel()));
                }
            });
        }

        /**
         * Through a proxy, the extender opens the tunnel (answering the proxy with Negotiate, NTLM or Basic as the
         * administrator allows, which Netty's proxy handler cannot), on a thread of its own since that is blocking;
         * Netty then takes the connected socket over for TLS and HTTP/2.
         */
        private void connectThroughExtender(RelayAddress a, ProxyRoute route, SocketFactory tunnels) {
            try {
                connector.execute(() -> openThroughExtender(a, route, tunnels));
            } catch (RejectedExecutionException e) {
                state = "closed"; // the tunnel is closing
            }
        }

        private void openThroughExtender(RelayAddress a, ProxyRoute route, SocketFactory tunnels) {
            Socket s;
            try {
                s = tunnels.createSocket(a.host(), a.port());
            } catch (IOException | RuntimeException e) {
                failed(null, "cannot connect to " + a + " through proxy " + route + ": " + rootMessage(e));
                return;
            }
            java.nio.channels.SocketChannel sc = s.getChannel();
            try {
                if (sc == null) {
                    throw new IOException("the extender's tunnel socket has no channel");
                }
                sc.configureBlocking(false);
            } catch (IOException e) {
                closeQuietly(s);
                failed(null, "cannot take over the tunnel to " + a + ": " + rootMessage(e));
                return;
            }
            NioSocketChannel ch = new NioSocketChannel(sc);
            ch.config().setKeepAlive(true);
            ch.pipeline().addLast(TlsContexts.handler(relayTls, ch.alloc(), a.host(), a.port(),
                    config.connectTimeout().toMillis()));
            ch.pipeline().addLast(new Negotiation(Slot.this));
            channel = ch;
            group.register(ch).addListener((ChannelFuture cf) -> {
                if (!cf.isSuccess()) {
                    closeQuietly(s);
                    failed(null, "cannot take over the tunnel to " + a + ": " + rootMessage(cf.cause()));
                } else {
                    cf.channel().closeFuture().addListener(c -> ended(cf.channel()));
                }
            });
        }

        private HttpProxyHandler proxyHandler(ProxyRoute r) {
            InetSocketAddress proxy = new InetSocketAddress(r.host(), r.port());
            HttpProxyHandler h = r.username().isPresent()
                    ? new HttpProxyHandler(proxy, r.username().get(), r.password().orElse(""))
                    : new HttpProxyHandler(proxy);
            h.setConnectTimeoutMillis(config.connectTimeout().toMillis());
            return h;
        }

        /** HTTP/2 is set up on {@code ch}. */
        void up(Channel ch) {
            up = Instant.now();
            state = "up";
            lastError = null;
            metrics.connectionUp(1);
            LOG.info("MEG tunnel connection {} to {} is up", index, relay);
        }

        void error(String message) {
            lastError = message;
        }

        private void ended(Channel ch) {
            Instant wasUp = up;
            if (wasUp != null) {
                up = null;
                metrics.connectionUp(-1);
                if (Duration.between(wasUp, Instant.now()).compareTo(STABLE) >= 0) {
                    backoff.reset();
                }
            }
            failed(ch, lastError != null ? lastError : "the relay closed the connection");
        }

        private void failed(Channel ch, String message) {
            lastError = message;
            metrics.connectionFailed();
            if (closed) {
                state = "closed";
                return;
            }
            Duration delay = backoff.next();
            relayIndex++;
            state = "reconnecting in " + delay.toMillis() + " ms";
            LOG.warn("MEG tunnel connection {} to {}: {}; reconnecting in {} ms (attempt {})", index, relay, message,
                    delay.toMillis(), backoff.failures());
            lastError = message;
            group.schedule(this::connect, delay.toMillis(), TimeUnit.MILLISECONDS);
        }

        Map<String, Object> status() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("connection", index);
            m.put("relay", String.valueOf(relay));
            m.put("state", state);
            Instant u = up;
            if (u != null) {
                m.put("upSince", u.toString());
            }
            if (lastError != null) {
                m.put("lastError", lastError);
            }
            m.put("failures", backoff.failures());
            return m;
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already failing: the first error is the one reported
        }
    }

    /** After TLS: HTTP/2 if the relay agreed on it by ALPN, else the connection is closed. */
    private final class Negotiation extends ApplicationProtocolNegotiationHandler {
        private final Slot slot;

        Negotiation(Slot slot) {
            super("none");
            this.slot = slot;
        }

        @Override
        protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
            if (!ApplicationProtocolNames.HTTP_2.equals(protocol)) {
                slot.error("the relay did not agree on HTTP/2 (ALPN answered " + protocol + ")");
                ctx.close();
                return;
            }
            Http2Settings settings = Http2Settings.defaultSettings()
                    .maxConcurrentStreams(config.maxStreamsPerConnection())
                    .initialWindowSize(config.streamWindow())
                    .maxFrameSize(MAX_FRAME);
            long idle = config.streamIdle().toMillis();
            ctx.pipeline().addLast(Http2FrameCodecBuilder.forServer().initialSettings(settings).validateHeaders(true)
                    .build());
            ctx.pipeline().addLast(new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
                @Override
                protected void initChannel(Http2StreamChannel ch) {
                    ch.config().setAutoRead(false);
                    ch.pipeline().addLast(new IdleStateHandler(0, 0, idle, TimeUnit.MILLISECONDS));
                    ch.pipeline().addLast(new StreamRelay(services));
                }
            }));
            ctx.pipeline().addLast(new Liveness(config.pingInterval(), config.pingTimeout(), () -> slot.error(
                    "no answer to a PING within " + config.pingTimeout().toMillis() + " ms")));
            ctx.pipeline().addLast(new ConnectionErrors(slot));
            ctx.channel().writeAndFlush(new DefaultHttp2WindowUpdateFrame(CONNECTION_WINDOW - 65_535));
            slot.up(ctx.channel());
        }

        @Override
        protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
            slot.error("TLS with the relay failed: " + rootMessage(cause));
            ctx.close();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            slot.error(rootMessage(cause));
            ctx.close();
        }
    }

    /** The last handler of a connection: a protocol error or a broken socket ends the connection. */
    private static final class ConnectionErrors extends ChannelInboundHandlerAdapter {
        private final Slot slot;

        ConnectionErrors(Slot slot) {
            this.slot = slot;
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            slot.error(rootMessage(cause));
            ctx.close();
        }
    }

    static String rootMessage(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null && r.getCause() != r) {
            r = r.getCause();
        }
        return r.getMessage() == null ? r.getClass().getSimpleName() : r.getMessage();
    }
}
