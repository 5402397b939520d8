package com.cloudextender.modules.meg.relay;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * Idle target connections kept for one user's client connection, so that consecutive streams the relay
 * marks with the same {@code meg-client-connection} reach the target over the same TCP connection.
 * NTLM (and Negotiate with a connection-bound context) authenticates the connection, not the request:
 * the handshake's second leg and the requests after it must use the connection that got the challenge.
 *
 * <p>A connection enters the pool only after an exchange ended cleanly (whole request sent, whole
 * response read, the target keeping the connection alive). It leaves it when taken again, after
 * {@link #idleLimit} without use, when the target closes it or sends anything unasked, or when the pool
 * is full ({@link #perKey} per key, {@link #maxTotal} in all: the newcomer is closed). A connection is
 * only taken by a stream on its own event loop (the relay keeps one client connection on one tunnel
 * connection) and only when its address is one the allow list just checked for the new request.
 * Thread-safe.
 */
public final class TargetPool {
    /** What a pooled connection may be reused for: the same client connection, user and target. */
    public record Key(String clientConnection, String user, String scheme, String host, int port) {
    }

    private static final String WATCH = "pool-idle";

    private final Duration idleLimit;
    private final int perKey;
    private final int maxTotal;
    private final Map<Key, Deque<Channel>> idle = new HashMap<>();
    private int total;

    public TargetPool(Duration idleLimit, int perKey, int maxTotal) {
        if (idleLimit.isNegative() || idleLimit.isZero() || perKey < 1 || maxTotal < 1) {
            throw new IllegalArgumentException("the target pool needs a positive idle limit and caps");
        }
        this.idleLimit = idleLimit;
        this.perKey = perKey;
        this.maxTotal = maxTotal;
    }

    /**
     * Checks a {@code meg-client-connection} value: 1 to 64 letters, digits, {@code .}, {@code _} or
     * {@code -}; null when absent.
     */
    public static String clientConnection(CharSequence value) throws BadRequestException {
        if (value == null) {
            return null;
        }
        String v = value.toString();
        if (!v.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new BadRequestException(RelayProtocol.CLIENT_CONNECTION
                    + " must be 1 to 64 letters, digits, '.', '_' or '-'");
        }
        return v;
    }

    /**
     * An idle connection for {@code key} on {@code loop} to one of {@code addresses}, out of the pool
     * with its idle watch removed; null when there is none. The caller installs its own handler.
     */
    public synchronized Channel take(Key key, EventLoop loop, Collection<InetAddress> addresses) {
        Deque<Channel> q = idle.get(key);
        if (q == null) {
            return null;
        }
        for (Iterator<Channel> it = q.iterator(); it.hasNext();) {
            Channel ch = it.next();
            if (ch.eventLoop() == loop && ch.isActive() && dialled(ch, addresses)) {
                it.remove();
                total--;
                if (q.isEmpty()) {
                    idle.remove(key);
                }
                ChannelHandler w = ch.pipeline().get(WATCH);
                if (w != null) {
                    ((IdleWatch) w).timer.cancel(false);
                    ch.pipeline().remove(w);
                }
                return ch;
            }
        }
        return null;
    }

    /**
     * Keeps {@code ch} (whose exchange ended cleanly) for {@code key}, or closes it when the pool is
     * full. {@code handler} is the finished stream's handler, replaced by an idle watch. Must run on
     * the connection's event loop.
     */
    public void give(Key key, Channel ch, ChannelHandler handler) {
        if (!ch.isActive()) {
            ch.close();
            return;
        }
        synchronized (this) {
            Deque<Channel> q = idle.computeIfAbsent(key, k -> new ArrayDeque<>());
            if (q.size() >= perKey || total >= maxTotal) {
                if (q.isEmpty()) {
                    idle.remove(key);
                }
                ch.close();
                return;
            }
            q.add(ch);
            total++;
        }
        IdleWatch w = new IdleWatch(key);
        w.timer = ch.eventLoop().schedule(() -> {
            if (remove(key, ch)) {
                ch.close();
            }
        }, idleLimit.toMillis(), TimeUnit.MILLISECONDS);
        ch.pipeline().replace(handler, WATCH, w);
        ch.read(); // so that the target's FIN (or anything unasked) is seen while idle
    }

    /** The number of idle connections kept now. */
    public synchronized int size() {
        return total;
    }

    private synchronized boolean remove(Key key, Channel ch) {
        Deque<Channel> q = idle.get(key);
        if (q == null || !q.remove(ch)) {
            return false;
        }
        total--;
        if (q.isEmpty()) {
            idle.remove(key);
        }
        return true;
    }

    private static boolean dialled(Channel ch, Collection<InetAddress> addresses) {
        SocketAddress a = ch.remoteAddress();
        return a instanceof InetSocketAddress i && addresses.contains(i.getAddress());
    }

    /** An idle pooled connection: closed and dropped when the target closes it or sends anything. */
    private final class IdleWatch extends ChannelInboundHandlerAdapter {
        private final Key key;
        private ScheduledFuture<?> timer;

        IdleWatch(Key key) {
            this.key = key;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
            remove(key, ctx.channel());
            timer.cancel(false);
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            remove(key, ctx.channel());
            timer.cancel(false);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            remove(key, ctx.channel());
            timer.cancel(false);
            ctx.close();
        }
    }
}
