package com.cloudextender.modules.meg.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import com.cloudextender.modules.meg.allow.Refusal;

import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;

class RequestHeadTest {
    private static Http2Headers get(String authority, String path) {
        return new DefaultHttp2Headers(false).method("GET").scheme("http").authority(authority).path(path);
    }

    @Test
    void anOriginFormRequestIsParsedWithTheSchemesDefaultPort() throws Exception {
        RequestHead h = RequestHead.parse(get("intranet.corp", "/a/b?token=x").add("meg-user", "alice@corp"), true);
        assertEquals("intranet.corp", h.host());
        assertEquals(80, h.port());
        assertEquals("/a/b?token=x", h.path());
        assertEquals("/a/b", h.logPath());
        assertEquals("alice@corp", h.user());
        assertEquals(443, RequestHead.parse(get("intranet.corp", "/").scheme("https"), true).port());
        assertEquals(8080, RequestHead.parse(get("[fd00::1]:8080", "/"), true).port());
    }

    @Test
    void anAbsoluteFormTargetMustAgreeWithTheAuthority() throws Exception {
        assertEquals("/x?y", RequestHead.parse(get("intranet.corp", "http://intranet.corp/x?y"), true).path());
        assertEquals("/", RequestHead.parse(get("intranet.corp:80", "http://INTRANET.corp"), true).path());
        BadRequestException e = assertThrows(BadRequestException.class,
                () -> RequestHead.parse(get("intranet.corp", "http://169.254.169.254/latest"), true));
        assertEquals(Refusal.HOST_MISMATCH, e.refusal());
        e = assertThrows(BadRequestException.class,
                () -> RequestHead.parse(get("intranet.corp", "https://intranet.corp/"), true));
        assertEquals(Refusal.HOST_MISMATCH, e.refusal());
        e = assertThrows(BadRequestException.class,
                () -> RequestHead.parse(get("intranet.corp", "http://intranet.corp:8080/"), true));
        assertEquals(Refusal.HOST_MISMATCH, e.refusal());
    }

    @Test
    void aHostHeaderMustAgreeWithTheAuthority() throws Exception {
        RequestHead.parse(get("intranet.corp", "/").add("host", "Intranet.Corp:80"), true);
        BadRequestException e = assertThrows(BadRequestException.class,
                () -> RequestHead.parse(get("intranet.corp", "/").add("host", "localhost"), true));
        assertEquals(Refusal.HOST_MISMATCH, e.refusal());
    }

    @Test
    void malformedHeadsAreRefusedWithAMessage() {
        assertBad(get("intranet.corp", "/a b"), ":path");
        assertBad(get("intranet.corp", "/a\r\nX: y"), "CR, LF");
        assertBad(get("intranet.corp", "a"), "origin-form");
        assertBad(get("user:pw@intranet.corp", "/"), "user information");
        assertBad(get("intranet.corp", "http://user@intranet.corp/"), "user information");
        assertBad(get("intranet.corp:99999", "/"), "bad port");
        assertBad(get("fd00::1", "/"), "brackets");
        assertBad(get("intranet.corp", "/").add("x-a", "1\n2"), "CR, LF");
        assertBad(new DefaultHttp2Headers(false).method("GET").authority("a").path("/"), ":scheme");
        assertBad(new DefaultHttp2Headers(false).method("get me").scheme("http").authority("a").path("/"), ":method");
        assertBad(new DefaultHttp2Headers(false).method("CONNECT").authority("intranet.corp"), "port");
        assertBad(new DefaultHttp2Headers(false).method("CONNECT").authority("a:443").path("/"), "CONNECT");
    }

    @Test
    void aConnectNamesHostAndPortOnly() throws Exception {
        RequestHead h = RequestHead.parse(new DefaultHttp2Headers(false).method("CONNECT").authority("files.corp:445"),
                false);
        assertTrue(h.isConnect());
        assertEquals(445, h.port());
        assertNull(h.path());
    }

    private static void assertBad(Http2Headers h, String mentions) {
        BadRequestException e = assertThrows(BadRequestException.class, () -> RequestHead.parse(h, true));
        assertTrue(e.getMessage().contains(mentions), e.getMessage());
    }
}
