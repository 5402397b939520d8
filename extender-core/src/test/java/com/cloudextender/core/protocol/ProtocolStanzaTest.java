package com.cloudextender.core.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.util.PacketParserUtils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ProtocolStanzaTest {
    @BeforeAll
    static void providers() {
        Protocol.registerProviders();
    }

    @Test
    void commandParsesFromXml() throws Exception {
        IQ iq = PacketParserUtils.parseStanza("<iq type='set' id='q1' from='cloud.test' to='e@cloud.test/x'>"
                + "<command xmlns='urn:cloudextender:1' id='c42' module='core' action='ping' timeout-ms='2500'>"
                + "{\"echo\":\"a &lt; b &amp; c\"}</command></iq>");
        CommandIq c = assertInstanceOf(CommandIq.class, iq);
        assertEquals("c42", c.commandId());
        assertEquals("core", c.module());
        assertEquals("ping", c.action());
        assertEquals(2500L, c.timeoutMillis());
        assertEquals("{\"echo\":\"a < b & c\"}", c.arguments());
    }

    @Test
    void commandWithMissingOrBadAttributesStillParses() throws Exception {
        CommandIq c = PacketParserUtils.parseStanza("<iq type='set' id='q1'><command xmlns='urn:cloudextender:1' "
                + "timeout-ms='soon'/></iq>");
        assertNull(c.commandId());
        assertNull(c.module());
        assertEquals(-1L, c.timeoutMillis());
        assertEquals("", c.arguments());
    }

    @Test
    void resultRoundTripsWithEscaping() throws Exception {
        ResultIq out = new ResultIq("c1", "core", "ping", "MODULE_FAILURE", 12, "{\"message\":\"<boom> & 'x'\"}");
        out.setStanzaId("r1");
        ResultIq back = PacketParserUtils.parseStanza(out.toXML().toString());
        assertEquals("c1", back.commandId());
        assertEquals("MODULE_FAILURE", back.errorCode());
        assertEquals(12, back.elapsedMillis());
        assertEquals("{\"message\":\"<boom> & 'x'\"}", back.payload());
    }

    @Test
    void refusalRoundTripsInsideAnError() throws Exception {
        IQ request = PacketParserUtils.parseStanza("<iq type='set' id='q9' from='cloud.test'>"
                + "<command xmlns='urn:cloudextender:1' id='c1' module='m' action='a'/></iq>");
        IQ error = IQ.createErrorResponse(request, org.jivesoftware.smack.packet.StanzaError
                .getBuilder(org.jivesoftware.smack.packet.StanzaError.Condition.resource_constraint)
                .addExtension(new RefusedElement("BUSY", "queue full")).build());
        IQ back = PacketParserUtils.parseStanza(error.toXML().toString());
        RefusedElement r = back.getError().getExtension(RefusedElement.ELEMENT, Protocol.NAMESPACE);
        assertEquals("BUSY", r.code());
        assertEquals("queue full", r.text());
    }

    private static Long timeoutOf(String attribute) throws Exception {
        CommandIq c = PacketParserUtils.parseStanza("<iq type='set' id='q1'><command xmlns='urn:cloudextender:1' "
                + "id='c1' module='core' action='ping' timeout-ms='" + attribute + "'/></iq>");
        return c.timeoutMillis();
    }

    @Test
    void timeoutIsAsciiDigitsOnly() throws Exception {
        assertEquals(5L, timeoutOf("5"));
        assertEquals(5L, timeoutOf("005"));
        for (String bad : new String[] {" 5", "5 ", "+5", "-5", "", "5.0", "0x5", "\uff15", "\u0665", "5\u00a0"}) {
            assertEquals(-1L, timeoutOf(bad), "timeout-ms='" + bad + "' was accepted");
        }
    }

    @Test
    void timeoutTooLargeForALongIsTheLargestLong() throws Exception {
        assertEquals(9_300_000_000_000L, timeoutOf("9300000000000"));
        assertEquals(Long.MAX_VALUE, timeoutOf("9223372036854775807"));
        assertEquals(Long.MAX_VALUE, timeoutOf("9223372036854775808"));
        assertEquals(Long.MAX_VALUE, timeoutOf("99999999999999999999999999999"));
        assertEquals(-1L, timeoutOf("99999999999999999999999999999x"));
    }
}
