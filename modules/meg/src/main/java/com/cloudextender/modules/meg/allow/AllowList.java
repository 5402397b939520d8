package com.cloudextender.modules.meg.allow;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The customer's Proxy Access List: what a relayed request may reach. Default deny: an empty list
 * allows nothing. Immutable; the module swaps a whole new list in when the cloud changes it.
 *
 * @param exactHosts   host names allowed exactly (canonical, lower case)
 * @param suffixes     {@code *.corp.example} entries, kept as {@code .corp.example}: any name below it
 * @param cidrs        address ranges; also the only way to allow a special address (see {@link SpecialAddresses})
 * @param ports        ports allowed for HTTP requests
 * @param schemes      schemes allowed for HTTP requests ({@code http}, {@code https})
 * @param connectPorts ports allowed for byte streams (CONNECT); empty allows none
 */
public record AllowList(Set<String> exactHosts, List<String> suffixes, List<Cidr> cidrs, Set<Integer> ports,
        Set<String> schemes, Set<Integer> connectPorts) {
    public AllowList {
        exactHosts = Set.copyOf(exactHosts);
        suffixes = List.copyOf(suffixes);
        cidrs = List.copyOf(cidrs);
        ports = Set.copyOf(ports);
        schemes = Set.copyOf(schemes);
        connectPorts = Set.copyOf(connectPorts);
    }

    /** Allows nothing. */
    public static AllowList denyAll() {
        return new AllowList(Set.of(), List.of(), List.of(), Set.of(), Set.of(), Set.of());
    }

    /**
     * Parses the configuration's comma-separated lists. Host entries are names ({@code intranet.corp}),
     * wildcards ({@code *.corp.example}) or single addresses (taken as a /32 or /128 range).
     *
     * @throws IllegalArgumentException naming the key and the entry that is wrong
     */
    public static AllowList parse(String hosts, String cidrs, String ports, String schemes, String connectPorts) {
        Set<String> exact = new LinkedHashSet<>();
        List<String> suffixes = new ArrayList<>();
        List<Cidr> ranges = new ArrayList<>();
        for (String h : items(hosts)) {
            String entry = h.toLowerCase(Locale.ROOT);
            if (entry.startsWith("*.")) {
                suffixes.add("." + canonicalName("allow.hosts", h, entry.substring(2)));
            } else if (entry.contains("*")) {
                throw new IllegalArgumentException("allow.hosts: '" + h + "': a wildcard is only allowed as a whole "
                        + "first label, as in *.corp.example");
            } else {
                HostForm f = form("allow.hosts", h, entry);
                if (f.isNumeric()) {
                    ranges.add(Cidr.of(f.address()));
                } else {
                    exact.add(f.name());
                }
            }
        }
        for (String c : items(cidrs)) {
            try {
                ranges.add(Cidr.parse(c));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("allow.cidrs: " + e.getMessage());
            }
        }
        Set<String> schemeSet = new LinkedHashSet<>();
        for (String s : items(schemes)) {
            String l = s.toLowerCase(Locale.ROOT);
            if (!l.equals("http") && !l.equals("https")) {
                throw new IllegalArgumentException("allow.schemes: '" + s + "' is not http or https");
            }
            schemeSet.add(l);
        }
        return new AllowList(exact, suffixes, ranges, portSet("allow.ports", ports), schemeSet,
                portSet("allow.connectPorts", connectPorts));
    }

    /** True when a host entry names {@code canonicalName} (a name, not an address). */
    public boolean namesHost(String canonicalName) {
        if (exactHosts.contains(canonicalName)) {
            return true;
        }
        for (String s : suffixes) {
            if (canonicalName.endsWith(s) && canonicalName.length() > s.length()) {
                return true;
            }
        }
        return false;
    }

    /** True when a CIDR entry contains {@code a} (as written or in its embedded IPv4 form). */
    public boolean rangeContains(InetAddress a) {
        InetAddress e = HostForm.effective(a);
        for (Cidr c : cidrs) {
            if (c.contains(a) || c.contains(e)) {
                return true;
            }
        }
        return false;
    }

    /** True when a CIDR entry lying inside {@code special}'s block contains {@code a}: an explicit allowance. */
    public boolean explicitlyAllows(InetAddress a, SpecialAddresses.Special special) {
        InetAddress e = HostForm.effective(a);
        for (Cidr c : cidrs) {
            if ((c.contains(a) || c.contains(e)) && special.block().containsRange(c)) {
                return true;
            }
        }
        return false;
    }

    /** True when nothing could pass: no host and no range. */
    public boolean isEmpty() {
        return exactHosts.isEmpty() && suffixes.isEmpty() && cidrs.isEmpty();
    }

    private static String canonicalName(String key, String raw, String name) {
        HostForm f = form(key, raw, name);
        if (f.isNumeric()) {
            throw new IllegalArgumentException(key + ": '" + raw + "': a wildcard needs a name, not an address");
        }
        return f.name();
    }

    private static HostForm form(String key, String raw, String text) {
        try {
            return HostForm.parse(text);
        } catch (RefusedException e) {
            throw new IllegalArgumentException(key + ": '" + raw + "' is not a host name or address");
        }
    }

    private static Set<Integer> portSet(String key, String text) {
        Set<Integer> ports = new LinkedHashSet<>();
        for (String p : items(text)) {
            String[] range = p.split("-", -1);
            if (range.length > 2) {
                throw new IllegalArgumentException(key + ": '" + p + "' is not a port or a range such as 8000-8099");
            }
            int from = port(key, range[0]);
            int to = range.length == 2 ? port(key, range[1]) : from;
            if (to < from || to - from > 65535) {
                throw new IllegalArgumentException(key + ": '" + p + "' is an empty range");
            }
            for (int i = from; i <= to; i++) {
                ports.add(i);
            }
        }
        return ports;
    }

    private static int port(String key, String text) {
        String t = text.trim();
        if (!t.matches("[0-9]{1,5}") || Integer.parseInt(t) < 1 || Integer.parseInt(t) > 65535) {
            throw new IllegalArgumentException(key + ": '" + text + "' is not a port (1 to 65535)");
        }
        return Integer.parseInt(t);
    }

    private static List<String> items(String text) {
        List<String> out = new ArrayList<>();
        if (text == null) {
            return out;
        }
        for (String s : text.split(",")) {
            if (!s.isBlank()) {
                out.add(s.trim());
            }
        }
        return out;
    }
}
