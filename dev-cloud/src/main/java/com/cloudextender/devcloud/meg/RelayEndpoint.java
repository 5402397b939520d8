package com.cloudextender.devcloud.meg;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import javax.net.ssl.SSLContext;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.util.ReferenceCountUtil;

/**
 * The relay endpoint extenders' {@code meg} modules connect to: TLS with the dev cloud's identity,
 * HTTP/2 by ALPN, this side in the client role (it opens the streams). The first stream on each
 * connection is the hello; a connection whose credential matches no customer is closed. Binds to
 * loopback. Thread-safe.
 */
public final class RelayEndpoint implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RelayEndpoint.class);
    private static final long HELLO_TIMEOUT_MS = 10_000;
    /** The connection window granted to the extender: the sum of what all its streams may have in flight to us. */
    private static final int CONNECTION_WINDOW = 8 * 1024 * 1024;
    static final int STREAM_WINDOW = 256 * 1024;
    /** Larger DATA frames than HTTP/2's 16 KiB default: fewer frames, headers and flushes per MiB relayed. */
    static final int MAX_FRAME = 64 * 1024;

    private final Channel server;
    private final RelayConnections connections;

    private RelayEndpoint(Channel server, RelayConnections connections) {
        this.server = server;
        this.connections = connections;
    }

    /**
     * Starts the endpoint.
     *
     * @param customerOfCredential the customer whose relay credential this is, if any (constant time)
     */
    public static RelayEndpoint start(EventLoopGroup group, InetAddress bind, int port, SSLContext tls,
            Function<String, Optional<String>> customerOfCredential, RelayConnections connections)
            throws InterruptedException {
        SslContext ssl = new JdkSslContext(tls, false, null, IdentityCipherSuiteFilter.INSTANCE,
                new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, ApplicationProtocolNames.HTTP_2),
                ClientAuth.NONE, new String[] {"TLSv1.3", "TLSv1.2"}, false);
        Channel ch = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel c) {
                        c.pipeline().addLast(ssl.newHandler(c.alloc()));
                        c.pipeline().addLast(new Negotiation(customerOfCredential, connections));
                    }
                }).bind(new InetSocketAddress(bind, port)).sync().channel();
        return new RelayEndpoint(ch, connections);
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    public RelayConnections connections() {
        return connections;
    }

    @Override
    public void close() {
        server.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    }

    private static final class Negotiation extends ApplicationProtocolNegotiationHandler {
        private final Function<String, Optional<String>> customerOf;
        private final RelayConnections connections;

        Negotiation(Function<String, Optional<String>> customerOf, RelayConnections connections) {
            super("none");
            this.customerOf = customerOf;
            this.connections = connections;
        }

        @Override
        protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
            if (!ApplicationProtocolNames.HTTP_2.equals(protocol)) {
                LOG.warn("MEG relay: a client from {} did not negotiate h2; closed", ctx.channel().remoteAddress());
                ctx.close();
                return;
            }
            ctx.pipeline().addLast(Http2FrameCodecBuilder.forClient()
                    .initialSettings(Http2Settings.defaultSettings().initialWindowSize(STREAM_WINDOW).maxFrameSize(MAX_FRAME))
                    .build());
            ctx.pipeline().addLast(new Http2MultiplexHandler(new ChannelInboundHandlerAdapter() {
                @Override
                public void channelActive(ChannelHandlerContext c) {
                    c.close(); // the extender never opens streams
                }
            }));
            ctx.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                @Override
                public void exceptionCaught(ChannelHandlerContext c, Throwable cause) {
                    LOG.debug("MEG relay connection {}: {}", c.channel().remoteAddress(), cause.toString());
                    c.close();
                }
            });
            ctx.channel().writeAndFlush(new DefaultHttp2WindowUpdateFrame(CONNECTION_WINDOW - 65_535));
            hello(ctx.channel());
        }

        private void hello(Channel parent) {
            parent.eventLoop().schedule(() -> {
                if (parent.isActive() && parent.attr(HelloHandler.AUTHENTICATED).get() == null) {
                    LOG.warn("MEG relay: no hello answer from {} in time; closed", parent.remoteAddress());
                    parent.close();
                }
            }, HELLO_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            new Http2StreamChannelBootstrap(parent).handler(new HelloHandler(parent, customerOf, connections)).open()
                    .addListener(f -> {
                        if (!f.isSuccess()) {
                            parent.close();
                            return;
                        }
                        Http2StreamChannel s = (Http2StreamChannel) f.getNow();
                        Http2Headers h = new DefaultHttp2Headers().method("POST").scheme("https").authority("relay")
                                .path(MegNames.HELLO_PATH);
                        s.writeAndFlush(new DefaultHttp2HeadersFrame(h, true));
                    });
        }
    }

    /** Reads the hello's answer and registers the connection for the credential's customer. */
    private static final class HelloHandler extends ChannelInboundHandlerAdapter {
        static final io.netty.util.AttributeKey<String> AUTHENTICATED = io.netty.util.AttributeKey.valueOf("meg-customer");
        private final Channel parent;
        private final Function<String, Optional<String>> customerOf;
        private final RelayConnections connections;

        HelloHandler(Channel parent, Function<String, Optional<String>> customerOf, RelayConnections connections) {
            this.parent = parent;
            this.customerOf = customerOf;
            this.connections = connections;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (!(msg instanceof Http2HeadersFrame h) || parent.attr(AUTHENTICATED).get() != null) {
                    return;
                }
                CharSequence credential = h.headers().get(MegNames.CREDENTIAL);
                CharSequence connector = h.headers().get(MegNames.CONNECTOR);
                Optional<String> customer = credential == null || !"200".contentEquals(h.headers().status())
                        ? Optional.empty() : customerOf.apply(credential.toString());
                if (customer.isEmpty()) {
                    LOG.warn("MEG relay: {} presented no valid relay credential; closed", parent.remoteAddress());
                    parent.close();
                    return;
                }
                parent.attr(AUTHENTICATED).set(customer.get());
                String name = connector == null ? "?" : connector.toString();
                connections.add(new RelayConnections.Connection(customer.get(), name, parent));
                LOG.info("MEG relay: connection from {} ({}) for customer '{}'", parent.remoteAddress(), name,
                        customer.get());
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }
    }
}
