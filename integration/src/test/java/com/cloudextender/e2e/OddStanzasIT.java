package com.cloudextender.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.xml.sax.InputSource;

import com.cloudextender.core.Extender;
import com.cloudextender.core.channel.ChannelState;
import com.cloudextender.demo.ExtenderFixture;

/**
 * Whatever IQ the cloud sends, the extender answers it with a well-formed error and the stream stays up
 * (issue 16, section 0: an IQ without a namespace crashed the writer thread; an unknown one got an answer
 * that was not well-formed XML, and the server closed the stream).
 */
class OddStanzasIT extends DevCloudTestBase {
    private static final String[][] UNHANDLED = {
        {"<foo xmlns='bar'/>", "service-unavailable"},
        {"<foo xmlns='bar'><x a='1'>text &amp; &lt;more&gt;</x></foo>", "service-unavailable"},
        {"<command xmlns='' id='o1' module='core' action='ping'/>", "service-unavailable"},
        {"<command xmlns='urn:cloudextender:2' id='o2' module='core' action='ping'/>", "feature-not-implemented"},
        {"<COMMAND xmlns='urn:cloudextender:1' id='o3' module='core' action='ping'/>", "feature-not-implemented"},
        {"<command  xmlns='urn:cloudextender:1 ' id='o4' module='core' action='ping'/>", "feature-not-implemented"},
        {"<command xmlns='urn:cloudextender:1' id='o5' module='core' action='ping'/><second xmlns='x'/>", null},
    };

    @Test
    void unhandledIqsGetAWellFormedErrorAndTheStreamStaysUp() throws Exception {
        ExtenderFixture f = ExtenderFixture.install(home.resolve("x"), cloud, "acme", "machine-odd", false,
                Map.of("outbox.retryInterval", "1s"));
        try (Extender x = f.start()) {
            assertTrue(x.awaitConnected(T), x.channelStatus().toString());
            Instant since = x.channelStatus().since();
            for (String[] c : UNHANDLED) {
                String answer = cloud.sendRawIq(x.extenderId(), c[0], null).get(10, TimeUnit.SECONDS);
                Element iq = DocumentBuilderFactory.newDefaultNSInstance().newDocumentBuilder()
                        .parse(new InputSource(new StringReader(answer))).getDocumentElement();
                if (c[1] == null) {
                    // Two children: not a valid IQ, but it must still not hurt; whatever came back parsed above.
                    continue;
                }
                assertEquals("error", iq.getAttribute("type"), c[0] + " -> " + answer);
                assertEquals(1, iq.getElementsByTagNameNS("urn:ietf:params:xml:ns:xmpp-stanzas", c[1]).getLength(),
                        c[0] + " -> " + answer);
                assertTrue(!answer.contains("module="), "the answer copies the request: " + answer);
                assertEquals(ChannelState.CONNECTED, x.channelStatus().state(), "after " + c[0]);
            }
            // The same connection all along (no reconnect), and it still serves commands.
            assertTrue(send(x, "core", "ping", "{}").isOk());
            assertEquals(since, x.channelStatus().since(), "the channel reconnected meanwhile");
            assertEquals(ChannelState.CONNECTED, x.channelStatus().state());
        }
    }
}
