package com.cloudextender.core.proxy.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import com.cloudextender.core.protocol.WireText;

/**
 * One challenge of a {@code Proxy-Authenticate} header (RFC 9110 §11.6.1): its scheme and either a token
 * (NTLM and Negotiate continue their handshakes in one) or parameters such as {@code realm}.
 *
 * @param scheme the scheme name as the proxy wrote it, for example {@code NTLM}
 * @param token  the token68 after the scheme, if any
 * @param params the {@code name=value} parameters as written, empty when there are none
 */
public record Challenge(String scheme, Optional<String> token, String params) {

    /** Whether this challenge names {@code name}, ignoring case as RFC 9110 says. */
    public boolean is(String name) {
        return scheme.equalsIgnoreCase(name);
    }

    @Override
    public String toString() {
        return scheme + (params.isEmpty() ? "" : " " + params);
    }

    /**
     * The challenges of all {@code Proxy-Authenticate} header values, in the order the proxy sent them.
     * One header may carry several, separated by commas ({@code Basic realm="x", NTLM}).
     */
    public static List<Challenge> parse(List<String> headerValues) {
        List<Challenge> out = new ArrayList<>();
        for (String value : headerValues) {
            String scheme = null;
            String token = null;
            StringBuilder params = new StringBuilder();
            for (String piece : splitOutsideQuotes(value)) {
                String p = piece.trim();
                if (p.isEmpty()) {
                    continue;
                }
                int space = p.indexOf(' ');
                String first = space < 0 ? p : p.substring(0, space);
                if (scheme != null && first.contains("=")) {
                    // A further parameter of the current challenge.
                    params.append(params.length() == 0 ? "" : ", ").append(p);
                    continue;
                }
                if (scheme != null) {
                    out.add(new Challenge(scheme, Optional.ofNullable(token), params.toString()));
                }
                scheme = first;
                token = null;
                params.setLength(0);
                String rest = space < 0 ? "" : p.substring(space + 1).trim();
                if (!rest.isEmpty()) {
                    if (isToken68(rest)) {
                        token = rest;
                    } else {
                        params.append(rest);
                    }
                }
            }
            if (scheme != null) {
                out.add(new Challenge(scheme, Optional.ofNullable(token), params.toString()));
            }
        }
        return out;
    }

    /** The scheme names of {@code challenges}, for messages: {@code Negotiate, NTLM}. */
    public static String names(List<Challenge> challenges) {
        return challenges.isEmpty() ? "none"
                : String.join(", ", challenges.stream().map(c -> WireText.of(c.scheme(), 32)).toList());
    }

    private static boolean isToken68(String s) {
        // token68 = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
        return s.matches("[A-Za-z0-9\\-._~+/]+=*") && !s.toLowerCase(Locale.ROOT).contains("=\"");
    }

    private static List<String> splitOutsideQuotes(String s) {
        List<String> parts = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' && (i == 0 || s.charAt(i - 1) != '\\')) {
                quoted = !quoted;
            }
            if (c == ',' && !quoted) {
                parts.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        parts.add(cur.toString());
        return parts;
    }
}
