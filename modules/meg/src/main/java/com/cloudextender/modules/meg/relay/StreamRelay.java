package com.cloudextender.modules.meg.relay;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.cloudextender.modules.meg.allow.AllowList;
import com.cloudextender.modules.meg.allow.RefusedException;
import com.cloudextender.modules.meg.allow.TargetCheck;
import com.cloudextender.modules.meg.log.AccessRecord;
import com.cloudextender.modules.meg.tunnel.TlsContexts;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * One relay stream: one request for one target. Runs on the stream's event loop; the target
 * connection shares it, so no state here needs a lock. Both directions are pulled, never pushed:
 * auto-read is off on the stream and on the target, and the next read is asked for only while the
 * other side is writable (its write buffer under Netty's high-water mark and, for the stream, HTTP/2
 * flow control open). A slow reader therefore holds back its writer through TCP and HTTP/2 flow
 * control, and a stream buffers at most about one read plus the write buffer's high-water mark (64 KiB)
 * in each direction, whatever the body size.
 *
 * <p>Besides: a target connection may come from and go back to the {@link TargetPool} (connection-bound
 * NTLM); a body announced with {@code Expect: 100-continue} is held until the target's 100, its final
 * status or {@link #CONTINUE_WAIT_MILLIS}; a GET with {@code meg-upgrade} becomes a byte stream on the
 * target's 101 (and stays unread until then: any other answer leaves its request side unsent).
 */
public final class StreamRelay extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(StreamRelay.class);

    private enum Phase { HEAD, CHECKING, CONNECTING, RELAYING, DONE }

    /** How long a body waits for the target's {@code 100 Continue} before it is sent anyway (as curl does). */
    static final long CONTINUE_WAIT_MILLIS = 1000;
    private static final String RELAY_HANDLER = "relay";

    private final RelayServices s;
    private Channel stream;
    private Channel target;
    private Phase phase = Phase.HEAD;
    private RequestHead head;
    private Http2Headers requestHeaders;
    private TargetCheck.Checked checked;
    private boolean counted;
    private boolean responseStarted;
    private boolean requestDone;
    private boolean responseDone;
    private boolean informational;
    /** The relay's name of the user's client connection, for target connection affinity; may be null. */
    private String clientConnection;
    private TargetPool.Key poolKey;
    private TargetSide targetSide;
    /** The target connection came from the pool (it may have been closed by the target just now). */
    private boolean reusedTarget;
    /** A kept connection failed before answering: the next connection is dialled, not taken. */
    private boolean skipPool;
    private boolean targetKeepAlive;
    /** {@code Expect: 100-continue}: the body waits for the target's 100, its final status or the timer. */
    private boolean awaitingContinue;
    private ScheduledFuture<?> continueTimer;
    /** The upgrade the relay asked for ({@code meg-upgrade}); the stream waits for the target's 101. */
    private String upgrade;
    private boolean awaitingUpgrade;
    /** Bytes both ways: a CONNECT, or a request the target upgraded (101). */
    private boolean byteStream;
    /** Reading the stream waits until the target connection can take more. */
    private boolean streamReadPending;
    /** Reading the target waits until the stream can take more (HTTP/2 flow control, write buffer). */
    private boolean targetReadPending;
    private final ChannelFutureListener targetWriteFailed = f -> {
        if (!f.isSuccess()) {
            fail(StreamError.TARGET_CLOSED, "writing to the target failed: " + f.cause());
        }
    };
    private final ChannelFutureListener streamWriteFailed = f -> {
        if (!f.isSuccess()) {
            cancelled("writing to the relay failed: " + f.cause());
        }
    };
    private ScheduledFuture<?> overall;
    private final long startNanos = System.nanoTime();
    private final Instant start = Instant.now();
    private long bytesIn;
    private long bytesOut;
    private int status;
    private String outcome = "ok";
    private String reason;

    public StreamRelay(RelayServices services) {
        this.s = services;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        stream = ctx.channel();
        ctx.read();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof Http2HeadersFrame h) {
                if (phase == Phase.HEAD) {
                    onHead(h);
                } else if (h.isEndStream()) {
                    onRequestEnd(); // trailers: not forwarded, the body ends here
                }
            } else if (msg instanceof Http2DataFrame d) {
                onData(d);
            } else if (msg instanceof Http2ResetFrame r) {
                cancelled("the relay reset the stream (" + r.errorCode() + ")");
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (phase != Phase.RELAYING || target == null) {
            return;
        }
        target.flush();
        readStreamIfWanted();
    }

    /** The stream can take more (its flow-control window opened): the target may be read again. */
    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (targetReadPending && stream.isWritable()) {
            targetReadPending = false;
            readTargetIfWanted();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            fail(StreamError.TIMEOUT, "no byte either way for " + s.idleTimeout.toSeconds() + " s");
        } else if (evt instanceof Http2ResetFrame r) {
            cancelled("the relay reset the stream (" + r.errorCode() + ")");
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(StreamError.TARGET_CLOSED, "stream error: " + cause);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (phase != Phase.DONE && !(responseDone && requestDone)) {
            outcome = "cancelled";
            reason = reason == null ? "the stream closed (relay or tunnel gone)" : reason;
        }
        phase = Phase.DONE;
        closeTarget();
        if (overall != null) {
            overall.cancel(false);
        }
        if (continueTimer != null) {
            continueTimer.cancel(false);
        }
        if (counted) {
            s.streams.remove(this);
            s.running.decrementAndGet();
            s.metrics.streamInFlight(-1);
            Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
            s.metrics.streamEnded(outcome, elapsed);
            s.accessLog.write(new AccessRecord(start, head.user() == null ? "-" : head.user(), head.method(),
                    logTarget(), status, bytesIn, bytesOut, elapsed.toMillis(), outcome, reason));
        }
    }

    /**
     * The allow list changed: a stream whose target it no longer allows ends now; others go on. Safe
     * to call from any thread.
     */
    public void recheck(AllowList list) {
        if (stream == null) {
            return;
        }
        stream.eventLoop().execute(() -> {
            if (checked != null && phase != Phase.DONE
                    && !s.check.stillAllowed(list, checked, head.isConnect(), head.scheme())) {
                reason = "allow-list-changed";
                fail(StreamError.REFUSED, "the allow list no longer allows " + checked.host() + ":" + checked.port());
            }
        });
    }

    // ---- request head, check, connect

    private void onHead(Http2HeadersFrame h) {
        requestHeaders = h.headers();
        requestDone = h.isEndStream();
        try {
            head = RequestHead.parse(h.headers(), h.isEndStream());
        } catch (BadRequestException e) {
            head = new RequestHead(String.valueOf(h.headers().method()), null, "-", 0, null,
                    str(h.headers().get(RelayProtocol.USER)), true);
            count();
            if (e.refusal() != null) {
                refuse(e.refusal().wireName(), e.getMessage());
            } else {
                fail(StreamError.BAD_REQUEST, e.getMessage());
            }
            return;
        }
        if ("POST".equals(head.method()) && RelayProtocol.HELLO_PATH.equals(head.path())) {
            hello();
            return;
        }
        count();
        byteStream = head.isConnect();
        try {
            clientConnection = TargetPool.clientConnection(h.headers().get(RelayProtocol.CLIENT_CONNECTION));
            upgrade = upgradeAsked(h.headers().get(RelayProtocol.UPGRADE), head);
        } catch (BadRequestException e) {
            fail(StreamError.BAD_REQUEST, e.getMessage());
            return;
        }
        if (s.running.get() > s.maxStreams) {
            fail(StreamError.LIMIT, "this extender relays " + s.maxStreams + " streams already (stream.maxTotal)");
            return;
        }
        if (!s.maxDuration.isZero()) {
            overall = stream.eventLoop().schedule(() -> fail(StreamError.TIMEOUT, "longer than "
                    + s.maxDuration.toSeconds() + " s (stream.maxDuration)"), s.maxDuration.toMillis(), TimeUnit.MILLISECONDS);
        }
        phase = Phase.CHECKING;
        try {
            s.resolver.execute(this::checkTarget);
        } catch (RejectedExecutionException e) {
            fail(StreamError.LIMIT, "too many name look-ups waiting");
        }
    }

    /** The {@code meg-upgrade} value (only {@code websocket}, on a GET whose stream stays open), or null. */
    private static String upgradeAsked(CharSequence value, RequestHead head) throws BadRequestException {
        if (value == null) {
            return null;
        }
        if (!"websocket".equalsIgnoreCase(value.toString()) || !"GET".equals(head.method()) || head.endStream()) {
            throw new BadRequestException(RelayProtocol.UPGRADE + " must be 'websocket', on a GET whose stream stays open");
        }
        return "websocket";
    }

    private void count() {
        counted = true;
        s.running.incrementAndGet();
        s.streams.add(this);
        s.metrics.streamInFlight(1);
    }

    private void hello() {
        Http2Headers h = new DefaultHttp2Headers().status("200");
        h.set(RelayProtocol.CREDENTIAL, s.credential);
        h.set(RelayProtocol.CONNECTOR, s.connectorName);
        phase = Phase.DONE;
        responseDone = true;
        stream.writeAndFlush(new DefaultHttp2HeadersFrame(h, true));
    }

    /** On the resolver executor: the allow list and DNS, then back to the event loop. */
    private void checkTarget() {
        try {
            TargetCheck.Checked c = head.isConnect() ? s.check.checkConnect(head.host(), head.port())
                    : s.check.checkHttp(head.scheme(), head.host(), head.port());
            stream.eventLoop().execute(() -> connect(c, 0));
        } catch (RefusedException e) {
            stream.eventLoop().execute(() -> refuse(e.reason().wireName(), e.getMessage()));
        } catch (UnknownHostException e) {
            stream.eventLoop().execute(() -> fail(StreamError.UNREACHABLE, "the name " + head.host()
                    + " does not resolve"));
        } catch (RuntimeException e) {
            LOG.warn("Checking the target of a relayed request failed", e);
            stream.eventLoop().execute(() -> fail(StreamError.BAD_REQUEST, "the target cannot be checked"));
        }
    }

    private void refuse(String why, String message) {
        reason = why;
        fail(StreamError.REFUSED, message);
    }

    private void connect(TargetCheck.Checked c, int index) {
        if (phase == Phase.DONE || !stream.isActive()) {
            return;
        }
        checked = c;
        phase = Phase.CONNECTING;
        if (index == 0 && clientConnection != null && !head.isConnect() && !skipPool) {
            poolKey = new TargetPool.Key(clientConnection, head.user(), head.scheme(), c.host(), c.port());
            Channel kept = s.pool.take(poolKey, stream.eventLoop(), c.addresses());
            if (kept != null) {
                target = kept;
                reusedTarget = true;
                targetSide = new TargetSide();
                kept.pipeline().addLast(RELAY_HANDLER, targetSide);
                relay();
                return;
            }
        }
        boolean tls = !head.isConnect() && "https".equals(head.scheme());
        Bootstrap b = new Bootstrap().group(stream.eventLoop()).channel(NioSocketChannel.class)
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) s.connectTimeout.toMillis())
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (tls) {
                            ch.pipeline().addLast(TlsContexts.handler(s.targetTls, ch.alloc(), c.host(), c.port(),
                                    s.connectTimeout.toMillis()));
                        }
                        if (!head.isConnect()) {
                            ch.pipeline().addLast(new HttpClientCodec(4096, 16384, 16384));
                        }
                        targetSide = new TargetSide();
                        ch.pipeline().addLast(RELAY_HANDLER, targetSide);
                    }
                });
        b.connect(new InetSocketAddress(c.addresses().get(index), c.port())).addListener((ChannelFuture f) -> {
            if (f.isSuccess()) {
                if (phase == Phase.DONE) {
                    f.channel().close();
                    return;
                }
                target = f.channel();
                SslHandler ssl = target.pipeline().get(SslHandler.class);
                if (ssl != null) {
                    ssl.handshakeFuture().addListener(hs -> {
                        if (hs.isSuccess()) {
                            relay();
                        } else {
                            fail(StreamError.TLS, "TLS with " + c.host() + " failed: " + rootMessage(hs.cause()));
                        }
                    });
                } else {
                    relay();
                }
            } else if (index + 1 < c.addresses().size() && phase != Phase.DONE) {
                connect(c, index + 1);
            } else {
                Throwable e = f.cause();
                StreamError type = e instanceof ConnectTimeoutException ? StreamError.TIMEOUT : StreamError.UNREACHABLE;
                fail(type, "cannot connect to " + c.host() + ":" + c.port() + " (" + connectCause(e) + ")");
            }
        });
    }

    private void relay() {
        if (phase == Phase.DONE) {
            return;
        }
        phase = Phase.RELAYING;
        if (head.isConnect()) {
            status = 200;
            responseStarted = true;
            stream.writeAndFlush(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200"), false));
        } else {
            HttpRequest r;
            try {
                r = HeaderMapping.request(head, requestHeaders, checked.authority(head.scheme()));
            } catch (BadRequestException e) {
                fail(StreamError.BAD_REQUEST, e.getMessage());
                return;
            }
            if (upgrade != null) {
                // No body: after a 101 the stream's DATA are the protocol's bytes, not a request body.
                r.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
                r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
                r.headers().set(HttpHeaderNames.UPGRADE, upgrade);
                awaitingUpgrade = true;
            }
            target.write(r);
            if (requestDone || upgrade != null) {
                target.write(LastHttpContent.EMPTY_LAST_CONTENT);
            } else if (HttpUtil.is100ContinueExpected(r)) {
                awaitingContinue = true;
                continueTimer = stream.eventLoop().schedule(this::bodyMayFollow, CONTINUE_WAIT_MILLIS,
                        TimeUnit.MILLISECONDS);
            }
            target.flush();
        }
        if (!reusedTarget) {
            requestHeaders = null; // kept while a stale kept connection may still make us dial again
        }
        readTargetIfWanted();
        readStreamIfWanted();
    }

    // ---- relay to target

    private void onData(Http2DataFrame d) {
        if (phase != Phase.RELAYING || target == null) {
            if (phase != Phase.DONE) {
                fail(StreamError.BAD_REQUEST, "body data before the target was connected");
            }
            return;
        }
        int n = d.content().readableBytes();
        bytesIn += n;
        s.metrics.bytesToTarget(n);
        if (byteStream) {
            if (n > 0) {
                target.write(d.content().retain()).addListener(targetWriteFailed);
            }
            if (d.isEndStream()) {
                requestDone = true;
                target.flush();
                if (target instanceof io.netty.channel.socket.SocketChannel sc) {
                    sc.shutdownOutput();
                }
                finishIfDone();
            }
        } else {
            if (d.isEndStream()) {
                target.write(new DefaultLastHttpContent(d.content().retain())).addListener(targetWriteFailed);
                requestDone = true;
                finishIfDone();
            } else if (n > 0) {
                target.write(new DefaultHttpContent(d.content().retain())).addListener(targetWriteFailed);
            }
        }
    }

    private void onRequestEnd() {
        if (phase == Phase.RELAYING && target != null && !requestDone) {
            requestDone = true;
            if (!byteStream) {
                target.write(LastHttpContent.EMPTY_LAST_CONTENT).addListener(targetWriteFailed);
            }
            target.flush();
        }
    }

    /** Reads the next request bytes if the target connection can take them, else once it can. */
    private void readStreamIfWanted() {
        if (phase != Phase.RELAYING || requestDone || awaitingContinue || awaitingUpgrade) {
            return;
        }
        if (target.isWritable()) {
            streamReadPending = false;
            stream.read();
        } else {
            streamReadPending = true;
        }
    }

    // ---- target to relay

    /** The target connection's end: forwards its response or bytes to the stream. */
    private final class TargetSide extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (phase != Phase.RELAYING || ctx.channel() != target) {
                    return;
                }
                if (msg instanceof HttpResponse r) {
                    onResponse(r);
                }
                if (msg instanceof HttpContent c) {
                    onContent(c);
                } else if (msg instanceof ByteBuf b) {
                    int n = b.readableBytes();
                    bytesOut += n;
                    s.metrics.bytesFromTarget(n);
                    toStream(new DefaultHttp2DataFrame(b.retain(), false));
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (phase != Phase.RELAYING || ctx.channel() != target) {
                return;
            }
            stream.flush();
            readTargetIfWanted();
        }

        /** The target connection can take more: the stream may be read again. */
        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (streamReadPending && ctx.channel().isWritable()) {
                readStreamIfWanted();
            }
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (phase != Phase.RELAYING || ctx.channel() != target || redialStale()) {
                return;
            }
            if (byteStream) {
                responseDone = true;
                stream.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.EMPTY_BUFFER, true));
                requestDone = true;
                finishIfDone();
            } else if (!responseDone) {
                fail(StreamError.TARGET_CLOSED, checked.host() + " closed the connection before its response ended");
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (ctx.channel() != target) {
                ctx.close(); // a stale kept connection this stream already left
                return;
            }
            if (phase == Phase.RELAYING && redialStale()) {
                return;
            }
            Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
            if (root instanceof SSLException) {
                fail(StreamError.TLS, "TLS with " + checked.host() + " failed: " + rootMessage(root));
            } else {
                fail(StreamError.TARGET_CLOSED, checked.host() + ": " + rootMessage(root));
            }
        }
    }

    private void onResponse(HttpResponse r) {
        int code = r.status().code();
        if (r.decoderResult().isFailure()) {
            fail(StreamError.TARGET_CLOSED, checked.host() + " sent a malformed response");
            return;
        }
        if (code == HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
            if (awaitingUpgrade) {
                upgraded(r);
            } else {
                fail(StreamError.TARGET_CLOSED, checked.host() + " switched protocols unasked; ask with "
                        + RelayProtocol.UPGRADE + " or use a byte stream (CONNECT)");
            }
            return;
        }
        if (code >= 100 && code < 200) {
            informational = true;
            toStream(new DefaultHttp2HeadersFrame(HeaderMapping.response(r), false));
            if (code == HttpResponseStatus.CONTINUE.code()) {
                bodyMayFollow();
            }
            return;
        }
        if (awaitingContinue) {
            // A final status before the body (417, 401, …): the body is not sent; finishIfDone ends the
            // request side with RST_STREAM NO_ERROR once the response is through.
            awaitingContinue = false;
            continueTimer.cancel(false);
        }
        targetKeepAlive = HttpUtil.isKeepAlive(r);
        status = code;
        responseStarted = true;
        toStream(new DefaultHttp2HeadersFrame(HeaderMapping.response(r), false));
    }

    /**
     * The target accepted the upgrade: {@code :status 200} with {@code meg-upgraded} and the 101's
     * headers, then bytes both ways as for a CONNECT. The HTTP codec leaves the target's pipeline
     * (what it already read after the 101 comes on as bytes).
     */
    private void upgraded(HttpResponse r) {
        awaitingUpgrade = false;
        byteStream = true;
        status = HttpResponseStatus.SWITCHING_PROTOCOLS.code();
        responseStarted = true;
        Http2Headers h = HeaderMapping.response(r);
        h.status("200");
        h.set(RelayProtocol.UPGRADED, upgrade);
        toStream(new DefaultHttp2HeadersFrame(h, false));
        stream.flush();
        target.pipeline().remove(HttpClientCodec.class);
        readStreamIfWanted();
    }

    private void onContent(HttpContent c) {
        if (byteStream) {
            return; // the end of the 101's (empty) message, decoded before the codec left
        }
        boolean last = c instanceof LastHttpContent;
        if (informational) {
            informational = !last;
            return;
        }
        if (phase != Phase.RELAYING) {
            return;
        }
        int n = c.content().readableBytes();
        bytesOut += n;
        s.metrics.bytesFromTarget(n);
        if (last) {
            responseDone = true;
            toStream(new DefaultHttp2DataFrame(c.content().retain(), true));
            finishIfDone();
        } else if (n > 0) {
            toStream(new DefaultHttp2DataFrame(c.content().retain(), false));
        }
    }

    private void toStream(Object frame) {
        stream.write(frame).addListener(streamWriteFailed);
    }

    /** Reads the next response bytes if the stream can take them, else once it can. */
    private void readTargetIfWanted() {
        if (phase != Phase.RELAYING || responseDone || target == null) {
            return;
        }
        if (stream.isWritable()) {
            targetReadPending = false;
            target.read();
        } else {
            targetReadPending = true;
        }
    }

    /**
     * A kept connection the target closed or reset just as this stream took it (a keep-alive race):
     * when only a body-less request head went out and nothing came back, a fresh connection is dialled
     * once and the request sent again on it.
     */
    private boolean redialStale() {
        if (!reusedTarget || responseStarted || informational || !head.endStream() || requestHeaders == null) {
            return false;
        }
        reusedTarget = false;
        skipPool = true;
        Channel stale = target;
        target = null;
        stale.close();
        connect(checked, 0);
        return true;
    }

    /** The target said {@code 100 Continue}, or it stayed silent for a second: the body is read and sent. */
    private void bodyMayFollow() {
        if (!awaitingContinue) {
            return;
        }
        awaitingContinue = false;
        continueTimer.cancel(false);
        readStreamIfWanted();
    }

    private void finishIfDone() {
        if (responseDone && (requestDone || !byteStream)) {
            boolean wholeExchange = requestDone;
            if (!requestDone) {
                // The target answered before the whole body arrived: the rest is not wanted.
                stream.flush();
                stream.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.NO_ERROR));
            }
            phase = Phase.DONE;
            stream.flush();
            requestDone = true;
            if (wholeExchange && !byteStream && poolKey != null && targetKeepAlive && target != null) {
                Channel kept = target;
                target = null;
                s.pool.give(poolKey, kept, targetSide);
            } else {
                closeTarget();
            }
        }
    }

    // ---- endings

    /**
     * Ends the stream with a typed error: a response with the status and {@code meg-error} if none
     * started, else a reset, so the relay never takes a cut-off body for a whole one.
     */
    private void fail(StreamError type, String message) {
        if (phase == Phase.DONE) {
            return;
        }
        phase = Phase.DONE;
        outcome = type.wireName();
        if (reason == null) {
            reason = shortReason(message);
        }
        closeTarget();
        if (stream == null || !stream.isActive()) {
            return;
        }
        if (!responseStarted) {
            status = type.status();
            Http2Headers h = new DefaultHttp2Headers().status(String.valueOf(type.status()));
            h.set(RelayProtocol.ERROR, type.wireName());
            if (type == StreamError.REFUSED) {
                h.set(RelayProtocol.REASON, reason);
            }
            h.set("content-type", "text/plain; charset=utf-8");
            stream.write(new DefaultHttp2HeadersFrame(h, false));
            ByteBuf body = Unpooled.copiedBuffer(message + "\n", StandardCharsets.UTF_8);
            stream.writeAndFlush(new DefaultHttp2DataFrame(body, true)).addListener(closeUnlessEnded());
        } else {
            stream.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.INTERNAL_ERROR))
                    .addListener(ChannelFutureListener.CLOSE);
        }
    }

    private ChannelFutureListener closeUnlessEnded() {
        return f -> {
            if (!requestDone) {
                f.channel().writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.NO_ERROR));
            }
        };
    }

    private void cancelled(String why) {
        if (phase == Phase.DONE) {
            return;
        }
        phase = Phase.DONE;
        outcome = "cancelled";
        reason = why;
        closeTarget();
        stream.close();
    }

    private void closeTarget() {
        if (target != null) {
            target.close();
        }
    }

    private String logTarget() {
        if (head.isConnect()) {
            return head.host() + ":" + head.port();
        }
        if (head.scheme() == null) {
            return head.host();
        }
        return head.scheme() + "://" + head.host() + ":" + head.port() + head.logPath();
    }

    private static String shortReason(String message) {
        return message.length() > 200 ? message.substring(0, 200) : message;
    }

    private static String connectCause(Throwable e) {
        if (e instanceof ConnectTimeoutException) {
            return "timed out";
        }
        if (e instanceof ConnectException || e instanceof NoRouteToHostException) {
            return e.getMessage() == null ? "refused" : e.getMessage();
        }
        return rootMessage(e);
    }

    private static String rootMessage(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null && r.getCause() != r) {
            r = r.getCause();
        }
        return r.getMessage() == null ? r.getClass().getSimpleName() : r.getMessage();
    }

    private static String str(CharSequence s) {
        return s == null ? null : s.toString();
    }
}
