package com.cloudextender.modules.exchange.online;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Timeout;

import com.cloudextender.modules.exchange.cmdlet.Cmdlet;
import com.cloudextender.modules.exchange.cmdlet.CmdletCall;
import com.cloudextender.modules.exchange.cmdlet.ExchangeException;
import com.cloudextender.modules.support.http.HttpAnswer;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What the Exchange Online admin API (or whatever answers in its place) can send back: an output page, or
 * an error body with any status. Reading it gives objects, a next-page link on the same server, or an
 * {@link ExchangeException}, nothing else; the access token is never sent to another host.
 */
class AdminApiResponseFuzzTest {
    private static final String BASE = "https://outlook.office365.com";
    private static final CmdletCall CALL = CmdletCall.of(Cmdlet.GET_MOBILE_DEVICE);
    /** Only the parsing is used: no request is sent, so no HTTP client and no token source. */
    private static final AdminApiBackend BACKEND = new AdminApiBackend(null, null, BASE, "contoso.onmicrosoft.com",
            "UPN:SystemMailbox@contoso", 100, 0, Duration.ofSeconds(1), d -> { });

    @FuzzTest
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void pagesGiveObjectsOrGarbage(byte[] body) throws Exception {
        try {
            URI next = BACKEND.nextLinkOf(CALL, body);
            if (next != null) {
                assertEquals("https", next.getScheme().toLowerCase(java.util.Locale.ROOT));
                assertEquals("outlook.office365.com", next.getHost().toLowerCase(java.util.Locale.ROOT),
                        "the token goes only to the admin API's host");
            }
        } catch (ExchangeException e) {
            assertEquals(ExchangeException.Reason.GARBAGE, e.reason());
        }
        List<ObjectNode> objects = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        try {
            BACKEND.readPage(CALL, body, objects::add, warnings);
            objects.forEach(o -> assertNotNull(o));
        } catch (ExchangeException e) {
            assertEquals(ExchangeException.Reason.GARBAGE, e.reason());
        }
    }

    @FuzzTest
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void errorAnswersBecomeTypedFailures(FuzzedDataProvider data) {
        int status = data.consumeBoolean() ? data.pickValue(new int[] {400, 401, 403, 404, 429, 500, 503})
                : data.consumeInt(100, 599);
        byte[] body = data.consumeRemainingAsBytes();
        String message = AdminApiBackend.errorMessage(body);
        assertNotNull(message);
        ExchangeException e = AdminApiBackend.failure(CALL, new HttpAnswer(status, "", Map.of(), body));
        assertNotNull(e.reason());
        assertTrue(e.getMessage().startsWith(CALL.cmdlet().cmdletName() + ":"), e.getMessage());
    }
}
