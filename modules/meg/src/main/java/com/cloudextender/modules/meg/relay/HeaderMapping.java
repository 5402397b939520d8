package com.cloudextender.modules.meg.relay;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;

/**
 * Headers between the relay's HTTP/2 streams and HTTP/1.1 targets: hop-by-hop headers and the
 * protocol's own {@code meg-*} headers never cross, the Host is the checked target's, and cookies
 * split by HTTP/2 are joined again (RFC 9113 8.2.3).
 */
public final class HeaderMapping {
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection",
            "transfer-encoding", "upgrade", "te", "trailer", "proxy-authorization", "proxy-authenticate", "host",
            "http2-settings");

    private HeaderMapping() {
    }

    /**
     * The HTTP/1.1 request for a relayed head. A request with a body and no length is sent chunked.
     *
     * @throws BadRequestException for a content-length that is not one decimal number
     */
    public static HttpRequest request(RequestHead head, Http2Headers h2, String hostHeader) throws BadRequestException {
        HttpRequest r = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(head.method()), head.path(),
                true);
        HttpHeaders out = r.headers();
        out.set(HttpHeaderNames.HOST, hostHeader);
        List<String> cookies = new ArrayList<>();
        for (Map.Entry<CharSequence, CharSequence> e : h2) {
            String name = e.getKey().toString().toLowerCase(Locale.ROOT);
            if (name.startsWith(":") || name.startsWith(RelayProtocol.PREFIX) || HOP_BY_HOP.contains(name)) {
                continue;
            }
            if (name.equals("cookie")) {
                cookies.add(e.getValue().toString());
                continue;
            }
            out.add(name, e.getValue().toString());
        }
        if (!cookies.isEmpty()) {
            out.set(HttpHeaderNames.COOKIE, String.join("; ", cookies));
        }
        List<String> lengths = out.getAll(HttpHeaderNames.CONTENT_LENGTH);
        if (lengths.size() > 1 || (lengths.size() == 1 && !lengths.get(0).matches("[0-9]{1,18}"))) {
            throw new BadRequestException("content-length is not one decimal number");
        }
        if (!head.endStream() && lengths.isEmpty()) {
            out.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        } else if (head.endStream() && lengths.isEmpty() && bodyExpected(head.method())) {
            out.set(HttpHeaderNames.CONTENT_LENGTH, "0");
        }
        return r;
    }

    /** The HTTP/2 response headers for a target's response head. */
    public static Http2Headers response(HttpResponse r) {
        Http2Headers h = new DefaultHttp2Headers();
        h.status(r.status().codeAsText());
        Set<String> named = new HashSet<>();
        for (String c : r.headers().getAll(HttpHeaderNames.CONNECTION)) {
            for (String t : c.split(",")) {
                named.add(t.trim().toLowerCase(Locale.ROOT));
            }
        }
        for (Map.Entry<String, String> e : r.headers()) {
            String name = e.getKey().toLowerCase(Locale.ROOT);
            if (HOP_BY_HOP.contains(name) || named.contains(name) || name.startsWith(RelayProtocol.PREFIX)) {
                continue;
            }
            h.add(name, e.getValue());
        }
        return h;
    }

    private static boolean bodyExpected(String method) {
        return method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
    }
}
