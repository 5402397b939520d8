package com.cloudextender.core.net;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * URLs that come from the cloud (module downloads, upload slots): the https-only rule, and the form in
 * which one may be logged or put in a message, without user info ({@code user:password@}), query or
 * fragment, which may carry credentials or tokens.
 */
public final class Urls {
    private Urls() {
    }

    /**
     * Parses {@code text} and requires an absolute {@code https} URL with a host and without user info.
     *
     * @param what names the URL in the message, for example {@code 'url'}
     * @throws IllegalArgumentException saying what is wrong, showing the URL without user info or query
     */
    public static URI https(String what, String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(what + " is not a URL (" + e.getReason() + ")");
        }
        requireHttps(what, uri);
        return uri;
    }

    /**
     * Requires {@code uri} to be an absolute {@code https} URL with a host and without user info.
     *
     * @throws IllegalArgumentException naming {@code what} and showing the URL without user info or query
     */
    public static void requireHttps(String what, URI uri) {
        if (uri.getScheme() == null || !uri.getScheme().toLowerCase(Locale.ROOT).equals("https")
                || uri.getHost() == null) {
            throw new IllegalArgumentException(what + " must be an https:// URL with a host, not " + shown(uri)
                    + "; nothing is ever downloaded or uploaded over plain HTTP");
        }        if (uri.getRawUserInfo() != null) {
            // HttpClient would refuse it anyway; say why without repeating it.
            throw new IllegalArgumentException(what + " must not carry a user name or password (user:password@): "
                    + shown(uri));
        }
    }

    /** {@code uri} as it may be logged: scheme, host, port and path only. */
    public static String shown(URI uri) {
        StringBuilder b = new StringBuilder();
        if (uri.getScheme() != null) {
            b.append(uri.getScheme()).append("://");
        }
        if (uri.getHost() != null) {
            b.append(uri.getHost().contains(":") && !uri.getHost().startsWith("[") ? "[" + uri.getHost() + "]"
                    : uri.getHost());
            if (uri.getPort() >= 0) {
                b.append(':').append(uri.getPort());
            }
        } else if (uri.getRawAuthority() != null) {
            // An authority Java could not parse as host[:port]; only the part after any user info is shown.
            String authority = uri.getRawAuthority();
            b.append(authority.substring(authority.lastIndexOf('@') + 1));
        }
        if (uri.getRawPath() != null) {
            b.append(uri.getRawPath());
        }
        return b.length() == 0 ? "(a URL without scheme or host)" : b.toString();
    }

    /** {@link #shown(URI)} of a URL given as text; text that is not a URL is not repeated. */
    public static String shown(String text) {
        try {
            return shown(new URI(text));
        } catch (URISyntaxException e) {
            return "(a malformed URL)";
        }
    }
}
