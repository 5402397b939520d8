package com.cloudextender.core.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.jivesoftware.smack.XMPPConnection;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.util.PacketParserUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;
import org.slf4j.LoggerFactory;

import com.cloudextender.api.ErrorCode;
import com.cloudextender.core.command.Admission;
import com.cloudextender.core.protocol.Protocol;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

class CommandIqHandlerTest {
    private final Logger log = (Logger) LoggerFactory.getLogger(CommandIqHandler.class);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final AtomicLong now = new AtomicLong();
    private final RefusalLog refusals = new RefusalLog(log, "refusals", 10, now::get);
    private Level before;

    @BeforeAll
    static void providers() {
        Protocol.registerProviders();
    }

    @BeforeEach
    void capture() {
        appender.start();
        before = log.getLevel();
        log.setLevel(Level.DEBUG);
        log.addAppender(appender);
    }

    @AfterEach
    void release() {
        log.detachAppender(appender);
        log.setLevel(before);
    }

    private List<String> lines() {
        // AppenderBase.doAppend holds the appender's own lock while it adds to the list.
        synchronized (appender) {
            return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }
    }

    private static XMPPConnection connectionOf(String domain) {
        return (XMPPConnection) Proxy.newProxyInstance(CommandIqHandlerTest.class.getClassLoader(),
                new Class<?>[] {XMPPConnection.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getXMPPServiceDomain")) {
                        return JidCreate.domainBareFrom(domain);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private CommandIqHandler handler(Admission answer) throws Exception {
        return new CommandIqHandler(connectionOf("cloud.test"), new CloudAddresses(List.of("cloud.test")),
                (id, m, a, t, args, reply) -> answer, from -> {
                }, refusals);
    }

    private static IQ command(String from, String idAttribute) throws Exception {
        return PacketParserUtils.parseStanza("<iq type='set' id='q1' from='" + from + "' to='e@cloud.test/x'>"
                + "<command xmlns='urn:cloudextender:1' id='" + idAttribute + "' module='core' action='ping'/></iq>");
    }

    @Test
    void aForgedCommandIdCannotStartALogLine() throws Exception {
        CommandIqHandler h = handler(new Admission.Accepted("queued"));
        IQ answer = h.handleIQRequest(command("intruder@evil.test/x",
                "c1&#13;&#10;10:00:00.000 INFO  c.c.c.Extender - Registered with the cloud as extender ext-evil"));
        assertEquals(IQ.Type.error, answer.getType());
        List<String> lines = lines();
        assertEquals(1, lines.size(), lines.toString());
        assertFalse(lines.get(0).contains("\n") || lines.get(0).contains("\r"), lines.get(0));
        assertTrue(lines.get(0).contains("c1\\r\\n10:00:00.000 INFO"), lines.get(0));
    }

    @Test
    void aLongCommandIdIsCutInTheLog() throws Exception {
        handler(new Admission.Refused(ErrorCode.BUSY, "busy")).handleIQRequest(command("cloud.test", "x".repeat(5000)));
        String line = lines().get(0);
        assertTrue(line.contains("x".repeat(128) + "…[+4872 chars]"), line);
        assertTrue(line.length() < 600, "a refusal line of " + line.length() + " characters");
    }

    @Test
    void aFloodOfRefusalsWritesTheFirstTenThenOneSummaryPerSender() throws Exception {
        CommandIqHandler h = handler(new Admission.Refused(ErrorCode.BUSY, "the extender is busy"));
        for (int i = 0; i < 500; i++) {
            // Changing the resource does not make a new sender.
            h.handleIQRequest(command("intruder@evil.test/r" + (i % 50), "n" + i));
            h.handleIQRequest(command("cloud.test", "b" + i));
        }
        assertEquals(20, lines().size(), "ten per sender");
        now.addAndGet(TimeUnit.SECONDS.toNanos(61));
        refusals.flush();
        List<String> lines = lines();
        assertEquals(22, lines.size(), lines.subList(20, lines.size()).toString());
        assertTrue(lines.contains("Suppressed 490 refusals from intruder@evil.test in the last minute (only the "
                + "first 10 per minute and sender are logged)"), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("Suppressed 490 refusals from cloud.test ")),
                lines.toString());
        // A new minute: logged again.
        h.handleIQRequest(command("intruder@evil.test/x", "again"));
        assertEquals(23, lines().size());
        refusals.flush();
        assertEquals(23, lines().size(), "no summary when nothing was left out");
    }

    @Test
    void madeUpSendersShareOneCountBeyondTheTrackedNumber() throws Exception {
        CommandIqHandler h = handler(new Admission.Accepted("queued"));
        for (int i = 0; i < 1000; i++) {
            h.handleIQRequest(command("u" + i + "@evil.test/x", "c" + i));
        }
        // 256 senders with one line each, then "other senders" with ten.
        assertEquals(266, lines().size());
        now.addAndGet(TimeUnit.SECONDS.toNanos(61));
        refusals.flush();
        assertTrue(lines().get(266).startsWith("Suppressed 734 refusals from other senders"), lines().get(266));
    }
}
