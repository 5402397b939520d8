package com.cloudextender.devcloud.meg;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;

/**
 * The users' side of the dev cloud's MEG: an HTTP proxy listener (plain forward requests in absolute
 * form, and CONNECT) with a per-user Basic credential. Each request becomes one stream on a tunnel
 * connection of the user's customer ({@link GatewayExchange}). Binds to loopback. Thread-safe.
 */
public final class GatewayServer implements AutoCloseable {
    private final Channel server;

    private GatewayServer(Channel server) {
        this.server = server;
    }

    public static GatewayServer start(EventLoopGroup group, InetAddress bind, int port, GatewayUsers users,
            RelayConnections connections) throws InterruptedException {
        Channel ch = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.AUTO_READ, false)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel c) {
                        c.pipeline().addLast("http", new HttpServerCodec());
                        c.pipeline().addLast(new GatewayExchange(users, connections));
                    }
                }).bind(new InetSocketAddress(bind, port)).sync().channel();
        return new GatewayServer(ch);
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    @Override
    public void close() {
        server.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    }
}
