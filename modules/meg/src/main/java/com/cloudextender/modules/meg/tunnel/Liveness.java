package com.cloudextender.modules.meg.tunnel;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.DefaultHttp2PingFrame;
import io.netty.handler.codec.http2.Http2PingFrame;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * Detects a dead path: sends an HTTP/2 PING every interval and closes the connection when one is
 * not answered within the timeout. Closing it fails its streams at once, so the relay retries them
 * on another connection instead of waiting for TCP to give up. Sits on the connection after the
 * HTTP/2 codec, on its event loop.
 */
public final class Liveness extends ChannelInboundHandlerAdapter {
    private final Duration interval;
    private final Duration timeout;
    private final Runnable onTimeout;
    private ScheduledFuture<?> tick;
    private ScheduledFuture<?> deadline;
    private long outstanding = -1;
    private long seq;

    /** @param onTimeout told before the connection is closed for a missing answer */
    public Liveness(Duration interval, Duration timeout, Runnable onTimeout) {
        this.interval = interval;
        this.timeout = timeout;
        this.onTimeout = onTimeout;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        tick = ctx.executor().scheduleWithFixedDelay(() -> ping(ctx), interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private void ping(ChannelHandlerContext ctx) {
        if (outstanding >= 0 || !ctx.channel().isActive()) {
            return;
        }
        outstanding = ++seq;
        ctx.writeAndFlush(new DefaultHttp2PingFrame(outstanding, false));
        deadline = ctx.executor().schedule(() -> {
            onTimeout.run();
            ctx.close();
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Http2PingFrame p && p.ack()) {
            if (p.content() == outstanding) {
                outstanding = -1;
                if (deadline != null) {
                    deadline.cancel(false);
                }
            }
            ReferenceCountUtil.release(msg);
            return;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stop();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        stop();
    }

    private void stop() {
        if (tick != null) {
            tick.cancel(false);
        }
        if (deadline != null) {
            deadline.cancel(false);
        }
    }
}
