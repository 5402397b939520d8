package com.cloudextender.modules.meg.relay;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;

import com.cloudextender.modules.meg.allow.Refusal;

import io.netty.handler.codec.http2.Http2Headers;

/**
 * One relayed request's head, parsed from the HTTP/2 headers the relay sent and checked for
 * everything that could make the forwarded request mean something else than what the allow list
 * checked: control characters, an absolute-form target or Host header naming another host, user
 * information in the authority.
 *
 * @param method    the method, upper case as sent
 * @param scheme    {@code http} or {@code https} (as sent, checked by the allow list); null for CONNECT
 * @param host      the authority's host as written (brackets kept for IPv6)
 * @param port      the authority's port, or the scheme's default
 * @param path      origin-form path and query ({@code *} for OPTIONS); null for CONNECT
 * @param user      the user the cloud relays for, for the access log
 * @param endStream true when the request has no body
 */
public record RequestHead(String method, String scheme, String host, int port, String path, String user,
        boolean endStream) {

    /** True for a byte stream (CONNECT). */
    public boolean isConnect() {
        return "CONNECT".equals(method);
    }

    /** The path without its query, for the access log (a query may carry tokens). */
    public String logPath() {
        if (path == null) {
            return "";
        }
        int q = path.indexOf('?');
        return q < 0 ? path : path.substring(0, q);
    }

    /** Parses and checks the relay's request headers. */
    public static RequestHead parse(Http2Headers h, boolean endStream) throws BadRequestException {
        for (Map.Entry<CharSequence, CharSequence> e : h) {
            checkText("header " + e.getKey(), e.getValue());
        }
        String method = text(h.method());
        if (method == null || !method.matches("[A-Z][A-Z0-9_-]{0,31}")) {
            throw new BadRequestException("the :method is missing or not a method name");
        }
        String authority = text(h.authority());
        if (authority == null || authority.isEmpty()) {
            throw new BadRequestException("the :authority (target host) is missing");
        }
        if (authority.indexOf('@') >= 0) {
            throw new BadRequestException("the :authority carries user information; send credentials in headers");
        }
        String user = text(h.get(RelayProtocol.USER));
        if (user != null && user.length() > 256) {
            user = user.substring(0, 256);
        }
        if ("CONNECT".equals(method)) {
            if (h.scheme() != null || h.path() != null) {
                throw new BadRequestException("a CONNECT has no :scheme and no :path");
            }
            Authority a = Authority.parse(authority, -1);
            return new RequestHead(method, null, a.host, a.port, null, user, endStream);
        }
        String scheme = text(h.scheme());
        String path = text(h.path());
        if (scheme == null || path == null || path.isEmpty()) {
            throw new BadRequestException("a request needs :scheme and :path");
        }
        scheme = scheme.toLowerCase(Locale.ROOT);
        int defaultPort = "https".equals(scheme) ? 443 : 80;
        Authority a = Authority.parse(authority, defaultPort);
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                throw new BadRequestException("the :path contains a space, a control or a non-ASCII character");
            }
        }
        if (!path.startsWith("/")) {
            if ("*".equals(path) && "OPTIONS".equals(method)) {
                // asterisk-form
            } else if (path.regionMatches(true, 0, "http://", 0, 7) || path.regionMatches(true, 0, "https://", 0, 8)) {
                path = originForm(path, scheme, a, defaultPort);
            } else {
                throw new BadRequestException("the :path is neither origin-form (/…) nor absolute-form");
            }
        }
        String hostHeader = text(h.get("host"));
        if (hostHeader != null) {
            Authority ha = Authority.parse(hostHeader, defaultPort);
            if (!ha.sameAs(a)) {
                throw new BadRequestException("the Host header names " + hostHeader + " but the target is " + authority,
                        Refusal.HOST_MISMATCH);
            }
        }
        return new RequestHead(method, scheme, a.host, a.port, path, user, endStream);
    }

    private static String originForm(String absolute, String scheme, Authority a, int defaultPort)
            throws BadRequestException {
        URI u;
        try {
            u = new URI(absolute);
        } catch (URISyntaxException e) {
            throw new BadRequestException("the absolute-form :path is not a URI");
        }
        if (u.getRawAuthority() == null || u.getRawUserInfo() != null) {
            throw new BadRequestException("the absolute-form :path has no authority, or carries user information");
        }
        Authority pa = Authority.parse(u.getRawAuthority(), defaultPort);
        if (!scheme.equalsIgnoreCase(u.getScheme()) || !pa.sameAs(a)) {
            throw new BadRequestException("the absolute-form target " + u.getScheme() + "://" + u.getRawAuthority()
                    + " disagrees with the :authority", Refusal.HOST_MISMATCH);
        }
        String p = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
        return u.getRawQuery() == null ? p : p + "?" + u.getRawQuery();
    }

    private static void checkText(String what, CharSequence v) throws BadRequestException {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) {
                throw new BadRequestException(what + " contains CR, LF or NUL");
            }
        }
    }

    private static String text(CharSequence s) {
        return s == null ? null : s.toString();
    }

    /** host[:port], with IPv6 in brackets. */
    private record Authority(String host, int port) {
        static Authority parse(String text, int defaultPort) throws BadRequestException {
            String host = text;
            String port = null;
            if (text.startsWith("[")) {
                int end = text.indexOf(']');
                if (end < 0) {
                    throw new BadRequestException("authority '" + text + "': unclosed [");
                }
                host = text.substring(0, end + 1);
                String rest = text.substring(end + 1);
                if (!rest.isEmpty()) {
                    if (!rest.startsWith(":")) {
                        throw new BadRequestException("authority '" + text + "': text after ]");
                    }
                    port = rest.substring(1);
                }
            } else {
                int colon = text.lastIndexOf(':');
                if (colon >= 0) {
                    if (text.indexOf(':') != colon) {
                        throw new BadRequestException("authority '" + text + "': an IPv6 address needs brackets");
                    }
                    host = text.substring(0, colon);
                    port = text.substring(colon + 1);
                }
            }
            int p = defaultPort;
            if (port != null) {
                if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
                    throw new BadRequestException("authority '" + text + "': bad port");
                }
                p = Integer.parseInt(port);
            }
            if (p < 0) {
                throw new BadRequestException("authority '" + text + "': a CONNECT target needs a port");
            }
            if (host.isEmpty()) {
                throw new BadRequestException("authority '" + text + "': no host");
            }
            return new Authority(host, p);
        }

        boolean sameAs(Authority o) {
            return port == o.port && host.equalsIgnoreCase(o.host);
        }
    }
}
