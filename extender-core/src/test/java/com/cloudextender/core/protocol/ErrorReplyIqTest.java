package com.cloudextender.core.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;

import javax.xml.parsers.DocumentBuilderFactory;

import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.util.PacketParserUtils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.xml.sax.InputSource;

/** Error answers are well-formed whatever the request held (issue: Smack's echo of the request broke the stream). */
class ErrorReplyIqTest {
    /** IQ requests the cloud (or a stranger) sent, none of which a handler of the extender takes. */
    static final String[] ODD_CHILDREN = {
        "<foo xmlns='bar'/>",
        "<foo xmlns='bar'><x>text &amp; &lt;more&gt;</x></foo>",
        "<command xmlns='' id='c1' module='core' action='ping'/>",
        "<command id='c1' module='core' action='ping'>{}</command>",
        "<command xmlns='urn:cloudextender:2' id='c1' module='core' action='ping'/>",
        "<COMMAND xmlns='urn:cloudextender:1' id='c1' module='core' action='ping'/>",
        "<command  xmlns='urn:cloudextender:1 ' id='c1' module='core' action='ping'/>",
    };

    @BeforeAll
    static void providers() {
        Protocol.registerProviders();
    }

    private static IQ request(String child) throws Exception {
        return PacketParserUtils.parseStanza("<iq type='set' id='q&amp;1' from='cloud.test' to='e@cloud.test/x'>"
                + child + "</iq>");
    }

    static Document wellFormed(CharSequence xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(new InputSource(new StringReader(xml.toString())));
    }

    @Test
    void theAnswerCarriesOnlyTheErrorAndIsWellFormed() throws Exception {
        for (String child : ODD_CHILDREN) {
            IQ answer = new ErrorReplyIq(request(child),
                    StanzaError.getBuilder(StanzaError.Condition.service_unavailable).build());
            String xml = answer.toXML().toString();
            Element iq = wellFormed(xml).getDocumentElement();
            assertEquals("error", iq.getAttribute("type"), xml);
            assertEquals("q&1", iq.getAttribute("id"), xml);
            assertEquals("cloud.test", iq.getAttribute("to"), xml);
            assertEquals(1, iq.getChildNodes().getLength(), "only <error/>: " + xml);
            assertEquals("error", iq.getFirstChild().getLocalName(), xml);
            assertTrue(xml.contains("<service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>"), xml);
        }
    }

    @Test
    void smacksOwnAnswerIsWhatBrokeTheStream() throws Exception {
        // The cause, kept as a test: if Smack ever writes these well, ErrorReplyIq may go.
        IQ unknown = request("<foo xmlns='bar'/>");
        String echoed = IQ.createErrorResponse(unknown, StanzaError.Condition.service_unavailable).toXML().toString();
        assertThrows(Exception.class, () -> wellFormed(echoed), echoed);
        IQ noNamespace = request("<command xmlns='' id='c1' module='core' action='ping'/>");
        assertThrows(IllegalArgumentException.class,
                () -> IQ.createErrorResponse(noNamespace, StanzaError.Condition.service_unavailable).toXML());
    }

    @Test
    void textThatXmlDoesNotAllowIsReplacedWhenWritten() throws Exception {
        ResultIq r = new ResultIq("id\u0001", "core", "ping", null, 1, "{\"a\":\"\uFFFE\uD800x\"}");
        String xml = r.toXML().toString();
        wellFormed(xml);
        assertFalse(xml.contains("\u0001"), xml);
        assertTrue(xml.contains("id\uFFFD"), xml);
        // In a JSON body such characters become JSON escapes, which keep the JSON's meaning.
        assertTrue(xml.contains("\\ufffe\\ud800x"), xml);
        assertTrue(new AcceptedIq("\u0000c", "queued").toXML().toString().contains("id='\uFFFDc'"));
        assertEquals("a\uD83D\uDE00b", XmlChars.clean("a\uD83D\uDE00b"), "a valid surrogate pair stays");
        assertEquals(-1, XmlChars.firstInvalid("tab\tcr\rlf\n\uD83D\uDE00\uFFFD"));
        assertEquals(1, XmlChars.firstInvalid("a\uDC00"));
    }
}
