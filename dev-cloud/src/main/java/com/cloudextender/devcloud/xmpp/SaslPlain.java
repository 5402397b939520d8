package com.cloudextender.devcloud.xmpp;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/**
 * The SASL PLAIN message (RFC 4616): {@code [authzid] NUL authcid NUL passwd}, Base64 encoded in the
 * XMPP {@code <auth/>} or {@code <response/>} element (RFC 6120 section 6.4.2).
 *
 * @param authzid the requested authorisation identity, empty when none
 * @param authcid the authentication identity: a localpart, or a bare JID of this domain
 * @param password the password
 */
record SaslPlain(String authzid, String authcid, String password) {

    /** Decodes the element text, or throws {@link IllegalArgumentException} saying what is malformed. */
    static SaslPlain decode(String base64) {
        byte[] raw;
        try {
            raw = Base64.getMimeDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the PLAIN message is not Base64");
        }
        String text = new String(raw, StandardCharsets.UTF_8);
        String[] parts = text.split("\u0000", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("the PLAIN message does not have three NUL-separated parts");
        }
        if (parts[1].isEmpty()) {
            throw new IllegalArgumentException("the PLAIN message has an empty user name");
        }
        return new SaslPlain(parts[0], parts[1], parts[2]);
    }

    /**
     * The localpart that {@code authcid} names in {@code domain}, lower case, or null when it names
     * another domain.
     */
    String localpart(String domain) {
        return localpartOf(authcid, domain);
    }

    /** Whether the authorisation identity is absent or the same as the authenticated account. */
    boolean authzidMatches(String localpart, String domain) {
        return authzid.isEmpty() || localpart.equals(localpartOf(authzid, domain));
    }

    private static String localpartOf(String identity, String domain) {
        int at = identity.indexOf('@');
        if (at < 0) {
            return identity.toLowerCase(Locale.ROOT);
        }
        String host = identity.substring(at + 1);
        int slash = host.indexOf('/');
        if (slash >= 0) {
            host = host.substring(0, slash);
        }
        return host.equalsIgnoreCase(domain) ? identity.substring(0, at).toLowerCase(Locale.ROOT) : null;
    }

    @Override
    public String toString() {
        return "SaslPlain[authzid=" + authzid + ", authcid=" + authcid + "]"; // never the password
    }
}
