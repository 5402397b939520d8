package com.cloudextender.core.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;

import org.jivesoftware.smack.util.PacketParserUtils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.cloudextender.api.CommandResult;
import com.cloudextender.api.ErrorCode;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Result IQs as the extender writes them: a module's result or error message may hold any text (a
 * server's reply, a file name), including characters XML cannot carry. The stanza must still be
 * well-formed, or the server closes the stream and the outbox resends the same poison result after
 * every reconnect, and the cloud must read back the same JSON value and the same attributes.
 */
class ResultIqFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void providers() {
        Protocol.registerProviders();
    }

    /** Found by {@link #resultsRoundTrip}: U+FFFF, a lone surrogate and U+0001 in an error message. */
    @Test
    void aResultHoldingCharactersXmlCannotCarryIsStillWellFormed() throws Exception {
        CommandResult r = CommandResult.error(ErrorCode.MODULE_FAILURE, "bad \uffff \ud800 \u0001 end");
        ResultIq out = new ResultIq("c\n1", "m", "a", "MODULE_FAILURE", 1, r.payload());
        String xml = out.toXML().toString();
        StanzaFuzzing.assertWellFormed(xml);
        ResultIq back = PacketParserUtils.parseStanza(xml);
        assertEquals("c\n1", back.commandId());
        assertEquals(JSON.readTree(r.payload()), JSON.readTree(back.payload()));
    }

    @FuzzTest
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void resultsRoundTrip(FuzzedDataProvider data) throws Exception {
        String id = StanzaFuzzing.xmlText(data, 64);
        String module = StanzaFuzzing.xmlText(data, 32);
        String action = StanzaFuzzing.xmlText(data, 32);
        long elapsed = data.consumeLong(0, Long.MAX_VALUE);
        String text = data.consumeString(2048);
        CommandResult result = switch (data.consumeInt(0, 2)) {
            case 0 -> CommandResult.error(data.pickValue(ErrorCode.values()), text);
            case 1 -> CommandResult.ok(JSON.writeValueAsString(java.util.Map.of("value", text)));
            default -> CommandResult.ok(JSON.writeValueAsString(text));
        };
        String code = result.errorCode() == null ? null : result.errorCode().name();
        ResultIq out = new ResultIq(id, module, action, code, elapsed, result.payload());
        out.setStanzaId("r1");
        String xml = out.toXML().toString();
        StanzaFuzzing.assertWellFormed(xml);
        ResultIq back = PacketParserUtils.parseStanza(xml);
        assertEquals(id, back.commandId());
        assertEquals(module, back.module());
        assertEquals(action, back.action());
        assertEquals(code, back.errorCode());
        assertEquals(elapsed, back.elapsedMillis());
        assertEquals(JSON.readTree(result.payload()), JSON.readTree(back.payload()));
    }
}
