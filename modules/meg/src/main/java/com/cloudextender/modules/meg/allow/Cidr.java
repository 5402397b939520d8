package com.cloudextender.modules.meg.allow;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.Objects;

/**
 * An address range: a network address and a prefix length, IPv4 or IPv6.
 *
 * @param network the network's bytes (4 or 16), host bits zero
 * @param prefix  the number of leading bits that count
 */
public record Cidr(byte[] network, int prefix) {
    public Cidr {
        Objects.requireNonNull(network, "network");
        if (network.length != 4 && network.length != 16) {
            throw new IllegalArgumentException("an address has 4 or 16 bytes");
        }
        if (prefix < 0 || prefix > network.length * 8) {
            throw new IllegalArgumentException("prefix /" + prefix + " is out of range");
        }
        network = masked(network.clone(), prefix);
    }

    /** The single address {@code a}. */
    public static Cidr of(InetAddress a) {
        byte[] b = a.getAddress();
        return new Cidr(b, b.length * 8);
    }

    /**
     * Parses {@code 10.0.0.0/8}, {@code fd00::/8} or a single address. Only canonical numeric notation
     * is accepted here (the administrator writes it), parsed without any name resolution.
     *
     * @throws IllegalArgumentException naming the entry when it is not a range
     */
    public static Cidr parse(String text) {
        String t = text.trim();
        int slash = t.indexOf('/');
        String addr = slash < 0 ? t : t.substring(0, slash);
        InetAddress a = HostForm.numericOrNull(addr);
        if (a == null) {
            throw new IllegalArgumentException("'" + text + "' is not an address range such as 10.0.0.0/8 or fd00::/8");
        }
        byte[] bytes = a.getAddress();
        int prefix = bytes.length * 8;
        if (slash >= 0) {
            String p = t.substring(slash + 1);
            if (!p.matches("[0-9]{1,3}") || Integer.parseInt(p) > prefix) {
                throw new IllegalArgumentException("'" + text + "' has a bad prefix length (0 to " + prefix + ")");
            }
            prefix = Integer.parseInt(p);
        }
        return new Cidr(bytes, prefix);
    }

    /** True when {@code a} lies in this range (an IPv4 address is never in an IPv6 range, nor the reverse). */
    public boolean contains(InetAddress a) {
        byte[] b = a.getAddress();
        return b.length == network.length && Arrays.equals(masked(b, prefix), network);
    }

    /** True when every address of {@code other} lies in this range. */
    public boolean containsRange(Cidr other) {
        return other.network.length == network.length && other.prefix >= prefix
                && Arrays.equals(masked(other.network.clone(), prefix), network);
    }

    private static byte[] masked(byte[] b, int prefix) {
        for (int i = 0; i < b.length; i++) {
            int bits = Math.max(0, Math.min(8, prefix - i * 8));
            b[i] &= (byte) (0xff << (8 - bits));
        }
        return b;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && c.prefix == prefix && Arrays.equals(c.network, network);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(network) * 31 + prefix;
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
