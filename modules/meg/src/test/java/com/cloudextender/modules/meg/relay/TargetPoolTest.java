package com.cloudextender.modules.meg.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;

/** The pool of target connections kept per client connection, with real loopback connections. */
class TargetPoolTest {
    private static final TargetPool.Key KEY = new TargetPool.Key("c1", "bob", "http", "intranet.corp", 80);
    private final InetAddress loopback = InetAddress.getLoopbackAddress();
    private NioEventLoopGroup group;
    private EventLoop loop;
    private ServerSocket server;
    private final List<Socket> accepted = new ArrayList<>();

    @BeforeEach
    void up() throws Exception {
        group = new NioEventLoopGroup(1);
        loop = group.next();
        server = new ServerSocket(0, 50, loopback);
    }

    @AfterEach
    void down() throws Exception {
        for (Socket s : accepted) {
            s.close();
        }
        server.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    /** A connected channel with a stand-in for a finished stream's handler, as give() expects. */
    private Channel connect(ChannelHandler handler) throws Exception {
        Channel ch = new Bootstrap().group(loop).channel(NioSocketChannel.class).option(ChannelOption.AUTO_READ, false)
                .handler(handler).connect(loopback, server.getLocalPort()).sync().channel();
        accepted.add(server.accept());
        return ch;
    }

    private <T> T onLoop(Callable<T> c) throws Exception {
        return loop.submit(c).get(5, TimeUnit.SECONDS);
    }

    @Test
    void aKeptConnectionIsTakenAgainOnlyForItsKeyLoopAndCheckedAddress() throws Exception {
        TargetPool pool = new TargetPool(Duration.ofSeconds(30), 2, 8);
        ChannelHandler h = new ChannelInboundHandlerAdapter();
        Channel ch = connect(h);
        onLoop(() -> {
            pool.give(KEY, ch, h);
            return null;
        });
        assertEquals(1, pool.size());
        assertNull(pool.take(new TargetPool.Key("c2", "bob", "http", "intranet.corp", 80), loop, List.of(loopback)),
                "another client connection never gets it");
        assertNull(pool.take(KEY, loop, List.of(InetAddress.getByName("192.0.2.1"))),
                "not for an address the allow list did not just check");
        NioEventLoopGroup other = new NioEventLoopGroup(1);
        try {
            assertNull(pool.take(KEY, other.next(), List.of(loopback)), "not for a stream of another event loop");
        } finally {
            other.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
        assertSame(ch, pool.take(KEY, loop, List.of(loopback)));
        assertEquals(0, pool.size());
        assertTrue(ch.isActive());
        ch.close().sync();
    }

    @Test
    void aFullPoolClosesTheNewcomer() throws Exception {
        TargetPool pool = new TargetPool(Duration.ofSeconds(30), 1, 8);
        ChannelHandler h1 = new ChannelInboundHandlerAdapter();
        ChannelHandler h2 = new ChannelInboundHandlerAdapter();
        Channel first = connect(h1);
        Channel second = connect(h2);
        onLoop(() -> {
            pool.give(KEY, first, h1);
            pool.give(KEY, second, h2);
            return null;
        });
        second.closeFuture().await(5, TimeUnit.SECONDS);
        assertFalse(second.isActive());
        assertTrue(first.isActive());
        assertEquals(1, pool.size());
        first.close().sync();
    }

    @Test
    void anIdleConnectionIsClosedAfterTheLimitOrWhenTheTargetClosesIt() throws Exception {
        TargetPool pool = new TargetPool(Duration.ofMillis(200), 4, 8);
        ChannelHandler h1 = new ChannelInboundHandlerAdapter();
        ChannelHandler h2 = new ChannelInboundHandlerAdapter();
        Channel idle = connect(h1);
        Channel closedByTarget = connect(h2);
        onLoop(() -> {
            pool.give(KEY, idle, h1);
            pool.give(KEY, closedByTarget, h2);
            return null;
        });
        accepted.get(1).close(); // the target ends the second one while it waits
        assertTrue(closedByTarget.closeFuture().await(5, TimeUnit.SECONDS));
        assertTrue(idle.closeFuture().await(5, TimeUnit.SECONDS));
        assertEquals(0, pool.size());
        assertNull(pool.take(KEY, loop, List.of(loopback)));
    }

    @Test
    void aClientConnectionNameIsCheckedOrAbsent() throws Exception {
        assertNull(TargetPool.clientConnection(null));
        assertEquals("AZaz09._-", TargetPool.clientConnection("AZaz09._-"));
        for (String bad : new String[] {"", "a b", "a\r\nb", "x".repeat(65), "é"}) {
            BadRequestException e = assertThrows(BadRequestException.class, () -> TargetPool.clientConnection(bad), bad);
            assertTrue(e.getMessage().contains(RelayProtocol.CLIENT_CONNECTION), e.getMessage());
        }
    }
}
