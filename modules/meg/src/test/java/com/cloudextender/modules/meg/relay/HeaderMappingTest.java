package com.cloudextender.modules.meg.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;

class HeaderMappingTest {
    private static Http2Headers post() {
        return new DefaultHttp2Headers(false).method("POST").scheme("http").authority("intranet.corp").path("/f");
    }

    @Test
    void theRequestCarriesTheCheckedHostAndNoHopByHopOrProtocolHeader() throws Exception {
        Http2Headers h = post().add("cookie", "a=1").add("cookie", "b=2").add("connection", "close")
                .add("transfer-encoding", "gzip").add("meg-user", "alice").add("proxy-authorization", "Basic x")
                .add("authorization", "NTLM abc").add("content-length", "5");
        HttpRequest r = HeaderMapping.request(RequestHead.parse(h, false), h, "intranet.corp");
        assertEquals("intranet.corp", r.headers().get("host"));
        assertEquals("a=1; b=2", r.headers().get("cookie"));
        assertEquals("NTLM abc", r.headers().get("authorization"), "intranet authentication passes unchanged");
        assertNull(r.headers().get("connection"));
        assertNull(r.headers().get("meg-user"));
        assertNull(r.headers().get("proxy-authorization"));
        assertEquals("5", r.headers().get("content-length"));
        assertNull(r.headers().get("transfer-encoding"));
    }

    @Test
    void aBodyOfUnknownLengthIsSentChunkedAndAnEmptyPostGetsLengthZero() throws Exception {
        Http2Headers h = post();
        assertEquals("chunked", HeaderMapping.request(RequestHead.parse(h, false), h, "x").headers()
                .get("transfer-encoding"));
        assertEquals("0", HeaderMapping.request(RequestHead.parse(h, true), h, "x").headers().get("content-length"));
    }

    @Test
    void aBadContentLengthIsRefused() {
        Http2Headers h = post().add("content-length", "5").add("content-length", "6");
        assertThrows(BadRequestException.class, () -> HeaderMapping.request(RequestHead.parse(h, false), h, "x"));
        Http2Headers g = post().add("content-length", "5, 5");
        assertThrows(BadRequestException.class, () -> HeaderMapping.request(RequestHead.parse(g, false), g, "x"));
    }

    @Test
    void theResponseDropsHopByHopHeadersThoseConnectionNamesAndForgedProtocolHeaders() {
        HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.FOUND);
        r.headers().add("Location", "http://elsewhere/").add("Connection", "close, X-Private")
                .add("X-Private", "1").add("Transfer-Encoding", "chunked").add("Meg-Error", "forged")
                .add("Set-Cookie", "s=1");
        Http2Headers h = HeaderMapping.response(r);
        assertEquals("302", h.status().toString());
        assertEquals("http://elsewhere/", h.get("location").toString());
        assertEquals("s=1", h.get("set-cookie").toString());
        assertFalse(h.contains("connection"));
        assertFalse(h.contains("x-private"));
        assertFalse(h.contains("transfer-encoding"));
        assertFalse(h.contains("meg-error"));
    }
}
