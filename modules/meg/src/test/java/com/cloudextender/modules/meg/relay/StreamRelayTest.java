package com.cloudextender.modules.meg.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import com.cloudextender.api.ModuleMetrics;
import com.cloudextender.modules.meg.MegMetrics;
import com.cloudextender.modules.meg.allow.AllowList;
import com.cloudextender.modules.meg.allow.SpecialAddresses;
import com.cloudextender.modules.meg.allow.TargetCheck;
import com.cloudextender.modules.meg.log.AccessLog;
import com.cloudextender.modules.meg.tunnel.TlsContexts;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;

/** A relay stream's answers that need no target: the hello, refusals, bad requests, limits. */
class StreamRelayTest {
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final Map<String, Long> counters = new ConcurrentHashMap<>();
    private final List<String> resolved = new CopyOnWriteArrayList<>();
    private final RelayServices services;

    StreamRelayTest() throws Exception {
        ModuleMetrics m = new ModuleMetrics() {
            @Override
            public void count(String name, long delta) {
                counters.merge(name, delta, Long::sum);
            }

            @Override
            public void time(String name, Duration elapsed) {
            }
        };
        AllowList list = AllowList.parse("intranet.corp", "", "80", "http", "443");
        TargetCheck check = new TargetCheck(() -> list, new SpecialAddresses(List::of), name -> {
            resolved.add(name);
            return List.of(InetAddress.getByName("127.0.0.1"));
        });
        services = new RelayServices(check, Runnable::run, TlsContexts.target(Optional.empty()), new MegMetrics(m),
                new AccessLog(log::add), "the-credential", "host-a", Duration.ofSeconds(5), Duration.ofMinutes(1),
                Duration.ZERO, 2, new TargetPool(Duration.ofSeconds(30), 4, 16));
    }

    private EmbeddedChannel stream() {
        return new EmbeddedChannel(new StreamRelay(services));
    }

    private static Http2Headers get(String authority, String path) {
        return new DefaultHttp2Headers().method("GET").scheme("http").authority(authority).path(path)
                .add("meg-user", "bob");
    }

    @Test
    void theHelloIsAnsweredWithTheCredentialAndIsNotARelayedRequest() {
        EmbeddedChannel ch = stream();
        ch.writeInbound(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().method("POST").scheme("https")
                .authority("relay").path(RelayProtocol.HELLO_PATH), true));
        Http2HeadersFrame h = ch.readOutbound();
        assertEquals("200", h.headers().status().toString());
        assertEquals("the-credential", h.headers().get(RelayProtocol.CREDENTIAL).toString());
        assertEquals("host-a", h.headers().get(RelayProtocol.CONNECTOR).toString());
        assertTrue(h.isEndStream());
        ch.close();
        assertTrue(log.isEmpty(), "no access log line for the hello: " + log);
    }

    @Test
    void aRefusalIsA403WithTheTypedReasonAndAnAccessLogLine() {
        EmbeddedChannel ch = stream();
        ch.writeInbound(new DefaultHttp2HeadersFrame(get("127.0.0.1", "/admin?token=s3cret"), true));
        ch.runPendingTasks();
        Http2HeadersFrame h = ch.readOutbound();
        assertEquals("403", h.headers().status().toString());
        assertEquals("refused-by-allowlist", h.headers().get(RelayProtocol.ERROR).toString());
        assertEquals("loopback", h.headers().get(RelayProtocol.REASON).toString());
        Http2DataFrame body = ch.readOutbound();
        assertTrue(body.isEndStream());
        assertTrue(body.content().toString(StandardCharsets.UTF_8).contains("loopback"));
        body.release();
        ch.close();
        assertEquals(1, log.size(), log.toString());
        String line = log.get(0);
        assertTrue(line.contains("user=\"bob\"") && line.contains("status=403") && line.contains("reason=\"loopback\"")
                && line.contains("outcome=refused-by-allowlist"), line);
        assertFalse(line.contains("s3cret"), "no query string in the log: " + line);
        assertEquals(0L, counters.get("streams.inFlight"));
        assertEquals(1L, counters.get("streams.refused-by-allowlist"));
    }

    @Test
    void aHostHeaderThatDisagreesIsRefusedBeforeAnyLookUp() {
        EmbeddedChannel ch = stream();
        ch.writeInbound(new DefaultHttp2HeadersFrame(get("intranet.corp", "/").add("host", "169.254.169.254"), true));
        ch.runPendingTasks();
        Http2HeadersFrame h = ch.readOutbound();
        assertEquals("403", h.headers().status().toString());
        assertEquals("host-mismatch", h.headers().get(RelayProtocol.REASON).toString());
        assertTrue(resolved.isEmpty(), resolved.toString());
    }

    @Test
    void aMalformedClientConnectionNameIsA400BeforeAnyLookUp() {
        EmbeddedChannel ch = stream();
        ch.writeInbound(new DefaultHttp2HeadersFrame(get("intranet.corp", "/").add(RelayProtocol.CLIENT_CONNECTION,
                "two words"), true));
        ch.runPendingTasks();
        Http2HeadersFrame h = ch.readOutbound();
        assertEquals("400", h.headers().status().toString());
        assertEquals("bad-request", h.headers().get(RelayProtocol.ERROR).toString());
        Http2DataFrame body = ch.readOutbound();
        assertTrue(body.content().toString(StandardCharsets.UTF_8).contains(RelayProtocol.CLIENT_CONNECTION));
        body.release();
        assertTrue(resolved.isEmpty(), resolved.toString());
    }

    @Test
    void anUpgradeIsOnlyForAWebSocketGetWhoseStreamStaysOpen() {
        Http2Headers[] bad = {
                get("intranet.corp", "/").add(RelayProtocol.UPGRADE, "h2c"),
                new DefaultHttp2Headers().method("POST").scheme("http").authority("intranet.corp").path("/")
                        .add(RelayProtocol.UPGRADE, "websocket"),
        };
        for (Http2Headers h : bad) {
            EmbeddedChannel ch = stream();
            ch.writeInbound(new DefaultHttp2HeadersFrame(h, false));
            ch.runPendingTasks();
            Http2HeadersFrame answer = ch.readOutbound();
            assertEquals("400", answer.headers().status().toString(), h.toString());
            Http2DataFrame body = ch.readOutbound();
            assertTrue(body.content().toString(StandardCharsets.UTF_8).contains(RelayProtocol.UPGRADE));
            body.release();
        }
        EmbeddedChannel ended = stream();
        ended.writeInbound(new DefaultHttp2HeadersFrame(get("intranet.corp", "/").add(RelayProtocol.UPGRADE, "websocket"),
                true));
        Http2HeadersFrame answer = ended.readOutbound();
        assertEquals("400", answer.headers().status().toString(), "an upgrade whose stream already ended");
        assertTrue(resolved.isEmpty(), resolved.toString());
    }

    @Test
    void aMalformedRequestIsA400ForThatStreamOnly() {
        EmbeddedChannel ch = stream();
        ch.writeInbound(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().method("GET").authority("intranet.corp"),
                true));
        Http2HeadersFrame h = ch.readOutbound();
        assertEquals("400", h.headers().status().toString());
        assertEquals("bad-request", h.headers().get(RelayProtocol.ERROR).toString());
        assertNull(h.headers().get(RelayProtocol.REASON));
    }

    @Test
    void aPortForByteStreamsOnlyIsRefusedForHttpAndTheReverse() {
        EmbeddedChannel ch = stream();
        ch.writeInbound(new DefaultHttp2HeadersFrame(get("intranet.corp:443", "/"), true));
        ch.runPendingTasks();
        Http2HeadersFrame h = ch.readOutbound();
        assertEquals("port", h.headers().get(RelayProtocol.REASON).toString());
        EmbeddedChannel c = stream();
        c.writeInbound(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().method("CONNECT")
                .authority("intranet.corp:80"), false));
        c.runPendingTasks();
        Http2HeadersFrame hc = c.readOutbound();
        assertEquals("403", hc.headers().status().toString());
        assertEquals("port", hc.headers().get(RelayProtocol.REASON).toString());
        Object data = c.readOutbound();
        ((Http2DataFrame) data).release();
        Object reset = c.readOutbound();
        assertTrue(reset instanceof Http2ResetFrame, "the unread request side is reset: " + reset);
    }

    @Test
    void streamsBeyondTheTotalLimitGetA503() {
        EmbeddedChannel a = stream();
        EmbeddedChannel b = stream();
        EmbeddedChannel c = stream();
        RelayServices s = services;
        // Two streams waiting for their look-up hold the two places (the executor is held back here).
        s.running.set(2);
        c.writeInbound(new DefaultHttp2HeadersFrame(get("intranet.corp", "/"), true));
        Http2HeadersFrame h = c.readOutbound();
        assertEquals("503", h.headers().status().toString());
        assertEquals("limit", h.headers().get(RelayProtocol.ERROR).toString());
        a.close();
        b.close();
    }
}
