package com.cloudextender.core.proxy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code NO_PROXY} list (curl's reading, which most tools share): comma- or space-separated host
 * names (matching the host and its subdomains, with or without a leading dot or {@code *.}), IP
 * addresses, IPv4 CIDR ranges, each optionally with {@code :port}; a lone {@code *} matches every host.
 */
public final class NoProxyRule {
    private final List<String> entries;

    private NoProxyRule(List<String> entries) {
        this.entries = entries;
    }

    /** Parses the value of {@code NO_PROXY}; null or blank gives a rule that matches nothing. */
    public static NoProxyRule parse(String value) {
        List<String> list = new ArrayList<>();
        if (value != null) {
            for (String e : value.split("[,\\s]+")) {
                String t = e.trim().toLowerCase(Locale.ROOT);
                if (!t.isEmpty()) {
                    list.add(t);
                }
            }
        }
        return new NoProxyRule(List.copyOf(list));
    }

    /** True when a connection to {@code host:port} must go direct. */
    public boolean matches(String host, int port) {
        String h = strip(host.toLowerCase(Locale.ROOT));
        for (String entry : entries) {
            if (entry.equals("*")) {
                return true;
            }
            String name = entry;
            int colon = entry.lastIndexOf(':');
            // host:port, but not a bare IPv6 address (several colons without brackets)
            if (colon > 0 && entry.indexOf(':') == colon || entry.startsWith("[") && entry.contains("]:")) {
                String p = entry.substring(colon + 1);
                name = entry.substring(0, colon);
                if (!p.equals(Integer.toString(port))) {
                    continue;
                }
            }
            name = strip(name);
            if (name.startsWith("*.")) {
                name = name.substring(1);
            }
            if (name.contains("/")) {
                if (inCidr(h, name)) {
                    return true;
                }
                continue;
            }
            String bare = name.startsWith(".") ? name.substring(1) : name;
            if (h.equals(bare) || h.endsWith("." + bare)) {
                return true;
            }
        }
        return false;
    }

    private static String strip(String s) {
        return s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
    }

    private static boolean inCidr(String host, String cidr) {
        String[] parts = cidr.split("/");
        long net = ipv4(parts[0]);
        long addr = ipv4(host);
        if (net < 0 || addr < 0) {
            return false;
        }
        int bits;
        try {
            bits = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            return false;
        }
        if (bits < 0 || bits > 32) {
            return false;
        }
        long mask = bits == 0 ? 0 : (0xFFFFFFFFL << (32 - bits)) & 0xFFFFFFFFL;
        return (net & mask) == (addr & mask);
    }

    /** The IPv4 address as a number, or -1 when {@code s} is not a dotted quad. */
    private static long ipv4(String s) {
        String[] q = s.split("\\.");
        if (q.length != 4) {
            return -1;
        }
        long v = 0;
        for (String part : q) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)) {
                return -1;
            }
            int n = Integer.parseInt(part);
            if (n > 255) {
                return -1;
            }
            v = v << 8 | n;
        }
        return v;
    }

    @Override
    public String toString() {
        return String.join(",", entries);
    }
}
