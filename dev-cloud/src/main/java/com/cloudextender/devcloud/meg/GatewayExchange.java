package com.cloudextender.devcloud.meg;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.cloudextender.devcloud.auth.RandomTokens;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.util.ReferenceCountUtil;

/**
 * One user connection to the gateway: each request on it (one at a time, keep-alive) becomes one
 * stream on a tunnel connection of the user's customer. All state lives on the user connection's
 * event loop; the stream's events are handed over to it. Reads are pulled in both directions (a
 * read only once the previous one's writes succeeded), so a slow side holds back the other through
 * TCP and HTTP/2 flow control. A request without a body that loses its tunnel connection before any
 * response byte is sent again on another connection; anything else that breaks mid-way closes the
 * user's connection, so a cut-off body is never taken for a whole one.
 *
 * <p>Every stream of one user connection carries the same random {@code meg-client-connection} name
 * and goes to the same tunnel connection while it stays up, so that the extender can keep the target
 * connection for the next request (connection-bound NTLM and Negotiate).
 */
final class GatewayExchange extends ChannelInboundHandlerAdapter {
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection",
            "proxy-authorization", "proxy-authenticate", "transfer-encoding", "upgrade", "te", "trailer", "host");
    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "OPTIONS");

    private final GatewayUsers users;
    private final RelayConnections connections;
    /** This user connection's name towards the extender (random: names from several gateways never meet). */
    private final String clientConnection = RandomTokens.urlSafe(16);
    /** The tunnel connection this user connection's last stream used; the next one prefers it. */
    private Channel lastTunnel;
    private Channel client;
    private String customer;
    private Http2Headers request;
    private boolean connectMode;
    /** A plain request asking for a WebSocket upgrade: a byte stream once the extender says meg-upgraded. */
    private boolean upgradeMode;
    private boolean tunnelMode;
    private boolean keepAlive;
    private boolean requestDone;
    private boolean responseStarted;
    private boolean responseDone;
    private boolean bodySkipped;
    private int attempts;
    private Http2StreamChannel stream;
    private final ArrayDeque<Http2DataFrame> pending = new ArrayDeque<>();
    /** Reading the user waits until the stream can take more. */
    private boolean clientReadPending;
    /** Reading the stream waits until the user's connection can take more. */
    private boolean streamReadPending;
    private final ChannelFutureListener closeOnFailure = f -> {
        if (!f.isSuccess()) {
            f.channel().close();
        }
    };

    GatewayExchange(GatewayUsers users, RelayConnections connections) {
        this.users = users;
        this.connections = connections;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        client = ctx.channel();
        client.read();
    }

    // ---- from the user

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (tunnelMode && msg instanceof ByteBuf b) {
                toStream(new DefaultHttp2DataFrame(b.retain(), false));
            } else if (msg instanceof HttpRequest r) {
                onRequest(r);
            } else if (msg instanceof HttpContent c) {
                onBody(c);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (stream == null) {
            return;
        }
        stream.flush();
        readClientIfWanted();
    }

    /** The user's connection can take more: the stream may be read again. */
    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (streamReadPending && client.isWritable() && stream != null) {
            streamReadPending = false;
            stream.read();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        pending.forEach(ReferenceCountUtil::release);
        pending.clear();
        if (stream != null) {
            stream.close();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    private void onRequest(HttpRequest r) {
        if (r.decoderResult().isFailure()) {
            error(HttpResponseStatus.BAD_REQUEST, "bad-request", "the request cannot be parsed");
            return;
        }
        Optional<String[]> basic = basic(r.headers().get(HttpHeaderNames.PROXY_AUTHORIZATION));
        Optional<String> c = basic.flatMap(b -> users.authenticate(b[0], b[1]));
        if (c.isEmpty()) {
            FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.PROXY_AUTHENTICATION_REQUIRED);
            res.headers().set(HttpHeaderNames.PROXY_AUTHENTICATE, "Basic realm=\"meg\"");
            res.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
            res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            client.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
            bodySkipped = true;
            return;
        }
        customer = c.get();
        keepAlive = HttpUtil.isKeepAlive(r);
        connectMode = HttpMethod.CONNECT.equals(r.method());
        upgradeMode = !connectMode && HttpMethod.GET.equals(r.method()) && wantsWebSocket(r);
        responseStarted = false;
        responseDone = false;
        attempts = 0;
        Http2Headers h = new DefaultHttp2Headers();
        h.method(r.method().name());
        if (connectMode) {
            h.authority(r.uri());
            requestDone = false;
        } else {
            URI u;
            try {
                u = new URI(r.uri());
            } catch (URISyntaxException e) {
                error(HttpResponseStatus.BAD_REQUEST, "bad-request", "the request target is not a URI");
                return;
            }
            if (u.getScheme() == null || u.getRawAuthority() == null) {
                error(HttpResponseStatus.BAD_REQUEST, "bad-request", "a proxy request needs an absolute URL "
                        + "(http://host/path)");
                return;
            }
            String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
            h.scheme(u.getScheme().toLowerCase(Locale.ROOT)).authority(u.getRawAuthority())
                    .path(u.getRawQuery() == null ? path : path + "?" + u.getRawQuery());
            boolean body = HttpUtil.isTransferEncodingChunked(r) || HttpUtil.getContentLength(r, 0L) > 0;
            requestDone = !body && !upgradeMode; // an upgrade's stream stays open for the bytes after the 101
        }
        // A CONNECT's (or an upgrade's) bytes come after the codec is removed; what the codec makes of
        // its head is no body.
        bodySkipped = requestDone || connectMode || upgradeMode;
        h.set(MegNames.USER, basic.get()[0]);
        h.set(MegNames.CLIENT_CONNECTION, clientConnection);
        if (upgradeMode) {
            h.set(MegNames.UPGRADE, "websocket");
        }
        Set<String> named = new HashSet<>();
        for (String v : r.headers().getAll(HttpHeaderNames.CONNECTION)) {
            for (String t : v.split(",")) {
                named.add(t.trim().toLowerCase(Locale.ROOT));
            }
        }
        for (Map.Entry<String, String> e : r.headers()) {
            String name = e.getKey().toLowerCase(Locale.ROOT);
            if (!HOP_BY_HOP.contains(name) && !named.contains(name) && !name.startsWith("meg-")) {
                h.add(name, e.getValue());
            }
        }
        request = h;
        open(null);
    }

    private void onBody(HttpContent c) {
        if (bodySkipped) {
            if (c instanceof LastHttpContent) {
                bodySkipped = false;
            }
            return;
        }
        boolean last = c instanceof LastHttpContent;
        if (last) {
            requestDone = true;
        }
        if (c.content().isReadable() || last) {
            toStream(new DefaultHttp2DataFrame(c.content().retain(), last));
        }
    }

    private void toStream(Http2DataFrame frame) {
        if (stream == null) {
            pending.add(frame);
        } else {
            stream.write(frame).addListener(closeOnFailure);
        }
    }

    private void readClientIfWanted() {
        if (client.isActive() && (tunnelMode || (!requestDone && stream != null))) {
            if (stream == null || stream.isWritable()) {
                clientReadPending = false;
                client.read();
            } else {
                clientReadPending = true;
            }
        }
    }

    // ---- the stream

    private void open(Channel avoid) {
        attempts++;
        Optional<RelayConnections.Connection> conn = connections.pick(customer, avoid, lastTunnel);
        if (conn.isEmpty()) {
            error(HttpResponseStatus.SERVICE_UNAVAILABLE, "no-connector", "no extender of customer '" + customer
                    + "' is connected to the relay");
            return;
        }
        Channel parent = conn.get().channel();
        lastTunnel = parent;
        new Http2StreamChannelBootstrap(parent).option(ChannelOption.AUTO_READ, false).handler(new StreamSide())
                .open().addListener(f -> client.eventLoop().execute(() -> {
                    if (!f.isSuccess()) {
                        retryOrFail(parent);
                        return;
                    }
                    Http2StreamChannel s = (Http2StreamChannel) f.getNow();
                    if (!client.isActive()) {
                        s.close();
                        return;
                    }
                    stream = s;
                    boolean end = requestDone && !connectMode && pending.isEmpty();
                    stream.write(new DefaultHttp2HeadersFrame(request, end));
                    while (!pending.isEmpty()) {
                        stream.write(pending.poll()).addListener(closeOnFailure);
                    }
                    stream.flush();
                    stream.read();
                    if (!connectMode && !upgradeMode) {
                        readClientIfWanted();
                    }
                }));
    }

    /** Handlers on the stream's event loop; everything is handed to the user connection's. */
    private final class StreamSide extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            Channel s = ctx.channel();
            client.eventLoop().execute(() -> fromStream(s, msg));
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            Channel s = ctx.channel();
            client.eventLoop().execute(() -> streamReadComplete(s));
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof Http2ResetFrame) {
                ctx.close();
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            Channel s = ctx.channel();
            if (s.isWritable()) {
                client.eventLoop().execute(() -> {
                    if (s == stream && clientReadPending) {
                        readClientIfWanted();
                    }
                });
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            Channel s = ctx.channel();
            Channel parent = s.parent();
            client.eventLoop().execute(() -> streamClosed(s, parent));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    private void fromStream(Channel s, Object msg) {
        try {
            if (s != stream || !client.isActive()) {
                return;
            }
            if (msg instanceof Http2HeadersFrame h) {
                onResponseHead(h);
            } else if (msg instanceof Http2DataFrame d) {
                boolean end = d.isEndStream();
                if (tunnelMode) {
                    if (d.content().isReadable()) {
                        client.write(d.content().retain()).addListener(closeOnFailure);
                    }
                } else if (end) {
                    client.write(new DefaultLastHttpContent(d.content().retain())).addListener(closeOnFailure);
                } else {
                    client.write(new DefaultHttpContent(d.content().retain())).addListener(closeOnFailure);
                }
                if (end) {
                    responseDone = true;
                    exchangeDone();
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onResponseHead(Http2HeadersFrame h) {
        CharSequence statusText = h.headers().status();
        int status = statusText == null ? 502 : Integer.parseInt(statusText.toString());
        if (status >= 100 && status < 200) {
            client.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status)));
            return;
        }
        responseStarted = true;
        if (connectMode && status == 200) {
            HttpResponse ok = new DefaultHttpResponse(HttpVersion.HTTP_1_1,
                    new HttpResponseStatus(200, "Connection Established"));
            client.writeAndFlush(ok).addListener(f -> switchToBytes());
            return;
        }
        if (upgradeMode && status == 200 && h.headers().contains(MegNames.UPGRADED)) {
            HttpResponse switched = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS);
            for (Map.Entry<CharSequence, CharSequence> e : h.headers()) {
                String name = e.getKey().toString();
                if (!name.startsWith(":") && !name.startsWith("meg-")) {
                    switched.headers().add(name, e.getValue().toString());
                }
            }
            switched.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
            switched.headers().set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET);
            client.writeAndFlush(switched).addListener(f -> switchToBytes());
            return;
        }
        HttpResponse res = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status));
        for (Map.Entry<CharSequence, CharSequence> e : h.headers()) {
            if (e.getKey().length() > 0 && e.getKey().charAt(0) != ':') {
                res.headers().add(e.getKey().toString(), e.getValue().toString());
            }
        }
        if (connectMode || upgradeMode) {
            keepAlive = false; // a refused CONNECT or upgrade: the answer, then the connection ends
        }
        if (!keepAlive) {
            res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        if (h.isEndStream()) {
            if (!res.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
                res.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
            }
            client.write(res);
            client.write(LastHttpContent.EMPTY_LAST_CONTENT);
            responseDone = true;
            exchangeDone();
            return;
        }
        if (!res.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
            HttpUtil.setTransferEncodingChunked(res, true);
        }
        client.write(res);
    }

    /** After the CONNECT's 200 or the upgrade's 101: the user's bytes go to the stream as they are. */
    private void switchToBytes() {
        client.eventLoop().execute(() -> {
            if (client.pipeline().get("http") != null) {
                client.pipeline().remove("http");
            }
            tunnelMode = true;
            client.read();
        });
    }

    private static boolean wantsWebSocket(HttpRequest r) {
        return r.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)
                && r.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
    }

    private void streamReadComplete(Channel s) {
        if (s != stream) {
            return;
        }
        client.flush();
        if (responseDone) {
            return;
        }
        if (client.isWritable()) {
            streamReadPending = false;
            s.read();
        } else {
            streamReadPending = true;
        }
    }

    private void streamClosed(Channel s, Channel parent) {
        if (s != stream) {
            return;
        }
        stream = null;
        if (responseDone) {
            return;
        }
        if (!responseStarted) {
            retryOrFail(parent);
        } else {
            client.close(); // cut off mid-response: the user sees a clean, incomplete transfer
        }
    }

    private void retryOrFail(Channel failedParent) {
        String method = String.valueOf(request.method());
        if (!connectMode && requestDone && pending.isEmpty() && IDEMPOTENT.contains(method) && attempts < 3) {
            open(failedParent);
            return;
        }
        error(HttpResponseStatus.BAD_GATEWAY, "tunnel", "the tunnel connection ended before the response");
    }

    private void exchangeDone() {
        Http2StreamChannel s = stream;
        stream = null;
        client.flush();
        if (tunnelMode || connectMode || upgradeMode || !keepAlive) {
            client.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            if (s != null) {
                s.close();
            }
            return;
        }
        if (s != null && !requestDone) {
            s.close(); // the answer came before the whole body: the rest is not wanted
        }
        if (!requestDone) {
            client.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        client.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> client.eventLoop().execute(() -> {
            if (f.isSuccess()) {
                client.read(); // the next request on this connection
            }
        }));
    }

    private void error(HttpResponseStatus status, String type, String message) {
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(message + "\n", StandardCharsets.UTF_8));
        res.headers().set(MegNames.ERROR, type);
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        res.headers().set(HttpHeaderNames.CONTENT_LENGTH, res.content().readableBytes());
        res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        client.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
    }

    private static Optional<String[]> basic(String header) {
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 1 ? Optional.empty()
                    : Optional.of(new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)});
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
