package com.cloudextender.modules.meg.tunnel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2PingFrame;
import io.netty.handler.codec.http2.Http2PingFrame;

class LivenessTest {
    @Test
    void anAnsweredPingKeepsTheConnectionAndAMissingAnswerClosesIt() throws Exception {
        AtomicInteger timeouts = new AtomicInteger();
        EmbeddedChannel ch = new EmbeddedChannel(new Liveness(Duration.ofMillis(30), Duration.ofMillis(60),
                timeouts::incrementAndGet));
        Thread.sleep(40);
        ch.runScheduledPendingTasks();
        Http2PingFrame ping = ch.readOutbound();
        assertFalse(ping.ack());
        ch.writeInbound(new DefaultHttp2PingFrame(ping.content(), true));
        Thread.sleep(80);
        ch.runScheduledPendingTasks();
        assertTrue(ch.isActive(), "answered in time");
        assertEquals(0, timeouts.get());

        Http2PingFrame second = ch.readOutbound();
        assertFalse(second.ack());
        ch.writeInbound(new DefaultHttp2PingFrame(second.content() + 1, true)); // not the answer to ours
        Thread.sleep(80);
        ch.runScheduledPendingTasks();
        assertFalse(ch.isActive(), "closed when the PING is not answered in time");
        assertEquals(1, timeouts.get());
    }
}
