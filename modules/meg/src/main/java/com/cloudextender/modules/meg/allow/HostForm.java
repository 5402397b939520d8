package com.cloudextender.modules.meg.allow;

import java.net.IDN;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A target host in one canonical form, decided before any check: either a numeric address or a
 * lower-case ASCII DNS name. Every numeric spelling a URL parser or a resolver would accept as an
 * address is turned into that address here, so that {@code 2130706433}, {@code 0177.0.0.1},
 * {@code 0x7f.1}, {@code 127.1} and {@code [::ffff:127.0.0.1]} are all checked as 127.0.0.1 and never
 * reach a resolver as a "name".
 *
 * @param name    the canonical name, or the address's text for a numeric host (for Host headers and SNI)
 * @param address the address for a numeric host, or null for a name that still has to be resolved
 */
public record HostForm(String name, InetAddress address) {
    private static final Pattern LABEL = Pattern.compile("[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?");
    private static final Pattern NUMERIC_PART = Pattern.compile("[0-9]+|0[xX][0-9a-fA-F]*");
    private static final Pattern IPV6_TEXT = Pattern.compile("[0-9a-fA-F:.]+");

    public HostForm {
        Objects.requireNonNull(name, "name");
    }

    /** True for an address, false for a name. */
    public boolean isNumeric() {
        return address != null;
    }

    /**
     * Parses a host as it appears in an authority: a name, a bracketed IPv6 address (an unbracketed one
     * is accepted too), or any IPv4 spelling (1 to 4 parts, each decimal, octal with a leading 0 or hex
     * with 0x, the last part filling the remaining bytes). A trailing dot is dropped; an IPv6 zone id is
     * dropped (a zoned address is link-local anyway and is then refused as such).
     *
     * @throws RefusedException with {@link Refusal#MALFORMED_HOST} naming the host
     */
    public static HostForm parse(String raw) throws RefusedException {
        if (raw == null || raw.isEmpty() || raw.length() > 255) {
            throw malformed(raw, "empty or longer than 255 characters");
        }
        String h = raw;
        if (h.startsWith("[")) {
            if (!h.endsWith("]")) {
                throw malformed(raw, "an IPv6 address in brackets must end with ]");
            }
            return new HostForm6(ipv6(raw, h.substring(1, h.length() - 1))).form();
        }
        if (h.indexOf(':') >= 0) {
            return new HostForm6(ipv6(raw, h)).form();
        }
        if (h.endsWith(".") && h.length() > 1) {
            h = h.substring(0, h.length() - 1);
        }
        InetAddress v4 = ipv4(raw, h);
        if (v4 != null) {
            return new HostForm(v4.getHostAddress(), v4);
        }
        String ascii;
        try {
            ascii = IDN.toASCII(h).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw malformed(raw, "not a valid host name");
        }
        if (ascii.length() > 253) {
            throw malformed(raw, "longer than 253 characters");
        }
        for (String label : ascii.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                throw malformed(raw, "label '" + label + "' is not letters, digits, '-' and '_'");
            }
        }
        return new HostForm(ascii, null);
    }

    /**
     * The address {@code text} spells when it is numeric in canonical notation (dotted quad or IPv6,
     * no brackets), else null. Never resolves a name.
     */
    static InetAddress numericOrNull(String text) {
        try {
            HostForm f = parse(text);
            return f.address;
        } catch (RefusedException e) {
            return null;
        }
    }

    /** The address to check: an IPv4 address embedded in an IPv6 form (mapped, compatible, NAT64, 6to4), or the address itself. */
    public static InetAddress effective(InetAddress a) {
        if (!(a instanceof Inet6Address)) {
            return a;
        }
        byte[] b = a.getAddress();
        boolean zero10 = true;
        for (int i = 0; i < 10; i++) {
            zero10 &= b[i] == 0;
        }
        byte[] v4 = null;
        if (zero10 && b[10] == (byte) 0xff && b[11] == (byte) 0xff) {
            v4 = slice(b, 12); // ::ffff:a.b.c.d, IPv4-mapped
        } else if (zero10 && b[10] == 0 && b[11] == 0 && (b[12] | b[13] | b[14]) != 0) {
            v4 = slice(b, 12); // ::a.b.c.d, IPv4-compatible (not :: nor ::1)
        } else if (b[0] == 0 && b[1] == 0x64 && b[2] == (byte) 0xff && b[3] == (byte) 0x9b) {
            boolean zero = true;
            for (int i = 4; i < 12; i++) {
                zero &= b[i] == 0;
            }
            if (zero) {
                v4 = slice(b, 12); // 64:ff9b::a.b.c.d, NAT64
            }
        } else if (b[0] == 0x20 && b[1] == 0x02) {
            v4 = slice(b, 2); // 2002:aabb:ccdd::, 6to4
        }
        if (v4 == null) {
            return a;
        }
        try {
            return InetAddress.getByAddress(v4);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] slice(byte[] b, int from) {
        byte[] r = new byte[4];
        System.arraycopy(b, from, r, 0, 4);
        return r;
    }

    private static InetAddress ipv6(String raw, String text) throws RefusedException {
        int zone = text.indexOf('%');
        String t = zone >= 0 ? text.substring(0, zone) : text;
        if (!IPV6_TEXT.matcher(t).matches() || t.indexOf(':') < 0) {
            throw malformed(raw, "not an IPv6 address");
        }
        try {
            // A literal with a colon is parsed, never looked up; the pattern above guarantees the form.
            InetAddress a = InetAddress.getByName("[" + t + "]");
            return InetAddress.getByAddress(a.getAddress()); // drops any scope
        } catch (UnknownHostException e) {
            throw malformed(raw, "not an IPv6 address");
        }
    }

    /** A parsed IPv6 literal; an IPv4-mapped one becomes the IPv4 address (Java already does so). */
    private record HostForm6(InetAddress address) {
        HostForm form() {
            return new HostForm(address instanceof Inet6Address ? "[" + address.getHostAddress() + "]"
                    : address.getHostAddress(), address);
        }
    }

    /**
     * The IPv4 address of a host whose last dot-separated part is a number (a name never ends in one),
     * or null for a name.
     */
    private static InetAddress ipv4(String raw, String h) throws RefusedException {
        String[] parts = h.split("\\.", -1);
        if (!NUMERIC_PART.matcher(parts[parts.length - 1]).matches()) {
            return null;
        }
        if (parts.length > 4) {
            throw malformed(raw, "more than four parts in a numeric address");
        }
        long[] values = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            values[i] = number(raw, parts[i]);
        }
        for (int i = 0; i < parts.length - 1; i++) {
            if (values[i] > 255) {
                throw malformed(raw, "part '" + parts[i] + "' is above 255");
            }
        }
        int restBytes = 5 - parts.length;
        long last = values[parts.length - 1];
        if (last >= (1L << (8 * restBytes))) {
            throw malformed(raw, "the last part is too large for the remaining " + restBytes + " bytes");
        }
        long v = last;
        for (int i = 0; i < parts.length - 1; i++) {
            v |= values[i] << (8 * (3 - i));
        }
        byte[] b = {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long number(String raw, String part) throws RefusedException {
        if (part.isEmpty() || part.length() > 12) {
            throw malformed(raw, "part '" + part + "' is empty or too long for a number");
        }
        try {
            if (part.startsWith("0x") || part.startsWith("0X")) {
                return part.length() == 2 ? 0 : Long.parseLong(part.substring(2), 16);
            }
            if (part.length() > 1 && part.startsWith("0")) {
                return Long.parseLong(part.substring(1), 8);
            }
            return Long.parseLong(part);
        } catch (NumberFormatException e) {
            throw malformed(raw, "part '" + part + "' is not a decimal, octal or hex number");
        }
    }

    private static RefusedException malformed(String raw, String why) {
        return new RefusedException(Refusal.MALFORMED_HOST, "host '" + printable(raw) + "': " + why);
    }

    /** The host as it may be shown: control characters escaped, at most 100 characters. */
    static String printable(String raw) {
        if (raw == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < raw.length() && sb.length() < 100; i++) {
            char c = raw.charAt(i);
            sb.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c));
        }
        return sb.toString();
    }
}
