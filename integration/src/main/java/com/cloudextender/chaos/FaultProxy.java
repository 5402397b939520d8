package com.cloudextender.chaos;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * A TCP proxy on loopback between the extender and the cloud that injects network faults on command:
 * resets, clean closes, stalls (half-open: nothing forwarded, no FIN), slow forwarding, a connection cut
 * in the middle of a chunk (partial write), and refused connections. It also holds new connections behind
 * a gate, so that a freshly started extender reaches the cloud only once the harness is ready for it.
 *
 * <p>Both sides of a link run on the same event loop, and reading is driven by completed writes, so a
 * stalled or slowed link pushes back on its sender instead of buffering without bound.
 */
public final class FaultProxy implements AutoCloseable {
    private enum Mode { PASS, STALL, SLOW }

    private final EventLoopGroup boss = new NioEventLoopGroup(1);
    private final EventLoopGroup workers = new NioEventLoopGroup(1);
    private final InetSocketAddress upstream;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final List<Link> waiting = new ArrayList<>();
    private final AtomicBoolean partialArmed = new AtomicBoolean();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile Mode mode = Mode.PASS;
    private volatile long slowDelayMillis;
    private volatile boolean gateOpen;
    private volatile boolean refusing;
    private final Channel server;

    private FaultProxy(InetSocketAddress upstream) throws InterruptedException {
        this.upstream = upstream;
        server = new ServerBootstrap().group(boss, workers).channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        accepted(ch);
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
    }

    /** Starts a proxy on a free loopback port that forwards to {@code upstreamPort} on 127.0.0.1; the gate is closed. */
    public static FaultProxy start(int upstreamPort) throws InterruptedException {
        return new FaultProxy(new InetSocketAddress("127.0.0.1", upstreamPort));
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** Connections accepted since the start. */
    public int accepted() {
        return accepted.get();
    }

    /** Lets held and new connections through to the cloud. */
    public void openGate() {
        List<Link> held;
        synchronized (waiting) {
            gateOpen = true;
            held = new ArrayList<>(waiting);
            waiting.clear();
        }
        held.forEach(Link::connectUpstream);
    }

    /** New connections wait (accepted, nothing forwarded) until {@link #openGate()}. */
    public void closeGate() {
        synchronized (waiting) {
            gateOpen = false;
        }
    }

    /** Resets every open link with an RST on both sides. */
    public void resetAll() {
        links.forEach(Link::reset);
    }

    /** Closes every open link cleanly (FIN) on both sides. */
    public void closeAll() {
        links.forEach(Link::close);
    }

    /** Stops forwarding on every link, without closing anything (a half-open path), until {@link #resume()}. */
    public void stall() {
        mode = Mode.STALL;
    }

    /** Forwards every chunk after {@code delay}, until {@link #resume()}. */
    public void slow(Duration delay) {
        slowDelayMillis = delay.toMillis();
        mode = Mode.SLOW;
    }

    /** Back to plain forwarding; what a stall held back is delivered now. */
    public void resume() {
        mode = Mode.PASS;
        links.forEach(Link::drain);
    }

    /** The next chunk, in either direction, is forwarded only in part and then both sides are reset. */
    public void cutNextChunk() {
        partialArmed.set(true);
    }

    /** While on, new connections are reset as soon as they are accepted, and open links are reset. */
    public void refuse(boolean on) {
        refusing = on;
        if (on) {
            resetAll();
        }
    }

    /** Open links. */
    public int openLinks() {
        return links.size();
    }

    private void accepted(SocketChannel in) {
        accepted.incrementAndGet();
        if (refusing) {
            rst(in);
            return;
        }
        Link link = new Link(in);
        links.add(link);
        in.closeFuture().addListener(f -> link.close());
        in.pipeline().addLast(new Relay(link, true));
        boolean now;
        synchronized (waiting) {
            now = gateOpen;
            if (!now) {
                waiting.add(link);
            }
        }
        if (now) {
            link.connectUpstream();
        }
    }

    private static void rst(Channel ch) {
        if (ch.isOpen()) {
            ch.config().setOption(ChannelOption.SO_LINGER, 0);
            ch.close();
        }
    }

    /** One client connection and its connection to the cloud. */
    private final class Link {
        final Channel in;
        volatile Channel out;
        final ArrayDeque<Object> heldToCloud = new ArrayDeque<>();
        final ArrayDeque<Object> heldToClient = new ArrayDeque<>();
        final AtomicBoolean closed = new AtomicBoolean();

        Link(Channel in) {
            this.in = in;
        }

        void connectUpstream() {
            in.eventLoop().execute(() -> {
                if (closed.get()) {
                    return;
                }
                new Bootstrap().group(in.eventLoop()).channel(NioSocketChannel.class)
                        .option(ChannelOption.AUTO_READ, false)
                        .option(ChannelOption.TCP_NODELAY, true)
                        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000)
                        .handler(new Relay(this, false))
                        .connect(upstream).addListener((ChannelFutureListener) f -> {
                            if (!f.isSuccess()) {
                                reset();
                                return;
                            }
                            out = f.channel();
                            out.closeFuture().addListener(c -> close());
                            if (closed.get()) {
                                out.close();
                                return;
                            }
                            in.read();
                            out.read();
                        });
            });
        }

        Channel peerOf(boolean fromClient) {
            return fromClient ? out : in;
        }

        void forward(Channel from, boolean fromClient, Object msg) {
            Channel to = peerOf(fromClient);
            if (to == null || closed.get()) {
                release(msg);
                return;
            }
            switch (mode) {
                case STALL -> (fromClient ? heldToCloud : heldToClient).add(msg);
                case SLOW -> from.eventLoop().schedule(() -> write(from, to, msg), slowDelayMillis, TimeUnit.MILLISECONDS);
                default -> {
                    if (partialArmed.compareAndSet(true, false)) {
                        ByteBuf buf = (ByteBuf) msg;
                        int half = Math.max(1, buf.readableBytes() / 2);
                        to.writeAndFlush(buf.retainedSlice(buf.readerIndex(), Math.min(half, buf.readableBytes())))
                                .addListener(f -> reset());
                        buf.release();
                    } else {
                        write(from, to, msg);
                    }
                }
            }
        }

        void write(Channel from, Channel to, Object msg) {
            if (closed.get()) {
                release(msg);
                return;
            }
            to.writeAndFlush(msg).addListener((ChannelFutureListener) f -> {
                if (f.isSuccess()) {
                    from.read();
                } else {
                    close();
                }
            });
        }

        /** After a stall: delivers what was held, then reads again. */
        void drain() {
            in.eventLoop().execute(() -> {
                Channel o = out;
                if (o == null || closed.get()) {
                    return;
                }
                flushHeld(heldToCloud, in, o);
                flushHeld(heldToClient, o, in);
            });
        }

        private void flushHeld(ArrayDeque<Object> held, Channel from, Channel to) {
            boolean any = !held.isEmpty();
            Object m;
            while ((m = held.poll()) != null) {
                to.write(m);
            }
            to.flush();
            if (any) {
                from.read();
            }
        }

        void reset() {
            if (closed.compareAndSet(false, true)) {
                links.remove(this);
                in.eventLoop().execute(() -> {
                    dropHeld();
                    rst(in);
                    if (out != null) {
                        rst(out);
                    }
                });
            }
        }

        void close() {
            if (closed.compareAndSet(false, true)) {
                links.remove(this);
                in.eventLoop().execute(() -> {
                    dropHeld();
                    in.close();
                    if (out != null) {
                        out.close();
                    }
                });
            }
        }

        private void dropHeld() {
            heldToCloud.forEach(FaultProxy::release);
            heldToClient.forEach(FaultProxy::release);
            heldToCloud.clear();
            heldToClient.clear();
        }
    }

    private static void release(Object msg) {
        if (msg instanceof ByteBuf b && b.refCnt() > 0) {
            b.release();
        }
    }

    private static final class Relay extends ChannelInboundHandlerAdapter {
        private final Link link;
        private final boolean fromClient;

        Relay(Link link, boolean fromClient) {
            this.link = link;
            this.fromClient = fromClient;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            link.forward(ctx.channel(), fromClient, msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            link.close();
        }
    }

    @Override
    public void close() {
        closeAll();
        server.close().syncUninterruptibly();
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
