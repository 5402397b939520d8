package com.cloudextender.core.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;

import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.util.PacketParserUtils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Command IQs as the cloud could send them: any attribute values and any element content. The provider
 * is lenient by contract (see {@link CommandIq}), so whatever parses must come back as a command whose
 * fields are exactly what was sent, and must write itself out as XML that parses back to the same command.
 */
class CommandIqFuzzTest {
    @BeforeAll
    static void providers() {
        Protocol.registerProviders();
    }

    /** Attribute values and body chosen freely, written with correct escaping: every field survives as sent. */
    @FuzzTest
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void fieldsSurviveParsing(FuzzedDataProvider data) throws Exception {
        String id = StanzaFuzzing.xmlText(data, 64);
        String module = StanzaFuzzing.xmlText(data, 32);
        String action = StanzaFuzzing.xmlText(data, 32);
        String timeout = data.consumeBoolean() ? null : StanzaFuzzing.xmlText(data, 24);
        String body = StanzaFuzzing.xmlText(data, 4096);
        String xml = "<iq type='set' id='q1' from='cloud.test' to='e@cloud.test/x'><command xmlns='"
                + Protocol.NAMESPACE + "' id='" + StanzaFuzzing.attr(id) + "' module='" + StanzaFuzzing.attr(module)
                + "' action='" + StanzaFuzzing.attr(action) + "'"
                + (timeout == null ? "" : " timeout-ms='" + StanzaFuzzing.attr(timeout) + "'") + ">"
                + StanzaFuzzing.text(body) + "</command></iq>";
        CommandIq c = (CommandIq) PacketParserUtils.parseStanza(xml);
        assertEquals(id, c.commandId());
        assertEquals(module, c.module());
        assertEquals(action, c.action());
        assertEquals(body, c.arguments());
        if (timeout == null) {
            assertEquals(null, c.timeoutMillis());
        } else {
            long t = c.timeoutMillis();
            assertTrue(t >= -1, "timeout " + t);
            assertEquals(t == -1, timeout.isEmpty() || !timeout.chars().allMatch(ch -> ch >= '0' && ch <= '9'),
                    "timeout-ms='" + timeout + "' gave " + t);
        }
        assertRoundTrips(c);
    }

    /**
     * Raw element content (child elements, entities, CDATA, comments, broken markup): the provider either
     * returns a command or the parser reports malformed XML; whatever it returns writes itself out as
     * well-formed XML (the parser tolerates characters such as U+0001, which are written as JSON escapes).
     */
    @FuzzTest
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void rawContentParsesOrFailsAsXml(byte[] content) throws Exception {
        String xml = "<iq type='set' id='q1'><command xmlns='" + Protocol.NAMESPACE + "' id='c1' module='core' "
                + "action='ping'>" + new String(content, java.nio.charset.StandardCharsets.UTF_8) + "</command></iq>";
        IQ iq;
        try {
            iq = PacketParserUtils.parseStanza(xml);
        } catch (org.jivesoftware.smack.xml.XmlPullParserException | java.io.IOException
                | org.jivesoftware.smack.parsing.SmackParsingException e) {
            return;
        }
        if (iq instanceof CommandIq c) {
            assertEquals("c1", c.commandId());
            assertRoundTrips(c);
        }
    }

    private static void assertRoundTrips(CommandIq c) throws Exception {
        String out = c.toXML().toString();
        StanzaFuzzing.assertWellFormed(out);
        CommandIq back = (CommandIq) PacketParserUtils.parseStanza(out);
        assertEquals(c.commandId(), back.commandId());
        assertEquals(c.module(), back.module());
        assertEquals(c.action(), back.action());
        assertEquals(c.timeoutMillis(), back.timeoutMillis());
        assertEquals(StanzaFuzzing.withNonXmlEscaped(c.arguments()), back.arguments());
    }
}
