package com.cloudextender.modules.meg.allow;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Decides whether a relayed request may reach its target, and which addresses it then dials. The
 * host is put in canonical form first ({@link HostForm}); a name is resolved here, once, and every
 * address it resolves to is checked. The caller dials only the returned addresses, never the name
 * again, so a DNS answer that changes between check and connect (rebinding) cannot slip through.
 * Blocking (name resolution): call it off the event loop. Thread-safe.
 */
public final class TargetCheck {
    /** Name resolution, replaceable in tests. */
    @FunctionalInterface
    public interface Resolver {
        /** Every address of {@code name}. */
        List<InetAddress> resolve(String name) throws UnknownHostException;

        /** The system resolver. */
        static Resolver system() {
            return name -> Arrays.asList(InetAddress.getAllByName(name));
        }
    }

    /**
     * A target that passed the check.
     *
     * @param host      the canonical host: what the Host header and TLS SNI name
     * @param port      the port
     * @param addresses the checked addresses, in resolver order: the only ones that may be dialled
     */
    public record Checked(String host, int port, List<InetAddress> addresses) {
        public Checked {
            addresses = List.copyOf(addresses);
        }

        /** {@code host:port}, with the default port left out for {@code scheme}. */
        public String authority(String scheme) {
            boolean defaultPort = ("http".equals(scheme) && port == 80) || ("https".equals(scheme) && port == 443);
            return defaultPort ? host : host + ":" + port;
        }
    }

    private final Supplier<AllowList> list;
    private final SpecialAddresses special;
    private final Resolver resolver;

    /** @param list the current allow list, read on every check (so a change applies to the next request) */
    public TargetCheck(Supplier<AllowList> list, SpecialAddresses special, Resolver resolver) {
        this.list = list;
        this.special = special;
        this.resolver = resolver;
    }

    /** Checks an HTTP request to {@code scheme://host:port}. */
    public Checked checkHttp(String scheme, String host, int port) throws RefusedException, UnknownHostException {
        AllowList l = list.get();
        String s = scheme == null ? "" : scheme.toLowerCase(Locale.ROOT);
        if (!l.schemes().contains(s)) {
            throw new RefusedException(Refusal.SCHEME, "scheme '" + HostForm.printable(scheme)
                    + "' is not allowed (allow.schemes " + l.schemes() + ")");
        }
        if (!l.ports().contains(port)) {
            throw new RefusedException(Refusal.PORT, "port " + port + " is not allowed for HTTP (allow.ports)");
        }
        return checkHost(l, host, port);
    }

    /** Checks a byte stream (CONNECT) to {@code host:port}. */
    public Checked checkConnect(String host, int port) throws RefusedException, UnknownHostException {
        AllowList l = list.get();
        if (!l.connectPorts().contains(port)) {
            throw new RefusedException(Refusal.PORT, "port " + port + " is not allowed for byte streams "
                    + "(allow.connectPorts)");
        }
        return checkHost(l, host, port);
    }

    /** Checks the host part only against {@code l}; for a list change, to see if a running stream may stay. */
    public boolean stillAllowed(AllowList l, Checked c, boolean byteStream, String scheme) {
        if (byteStream ? !l.connectPorts().contains(c.port()) : !l.ports().contains(c.port())
                || !l.schemes().contains(scheme)) {
            return false;
        }
        try {
            HostForm f = HostForm.parse(c.host());
            boolean named = !f.isNumeric() && l.namesHost(f.name());
            for (InetAddress a : c.addresses()) {
                checkAddress(l, c.host(), a, named);
            }
            return true;
        } catch (RefusedException e) {
            return false;
        }
    }

    private Checked checkHost(AllowList l, String host, int port) throws RefusedException, UnknownHostException {
        if (port < 1 || port > 65535) {
            throw new RefusedException(Refusal.PORT, "port " + port + " is out of range");
        }
        HostForm f = HostForm.parse(host);
        List<InetAddress> addresses;
        boolean named = false;
        if (f.isNumeric()) {
            addresses = List.of(f.address());
        } else {
            named = l.namesHost(f.name());
            if (!named && l.cidrs().isEmpty()) {
                // Not listed and no range could match: refused without even asking DNS.
                throw new RefusedException(Refusal.NOT_LISTED, "host '" + f.name() + "' is not on the allow list");
            }
            addresses = resolver.resolve(f.name());
            if (addresses.isEmpty()) {
                throw new UnknownHostException(f.name() + ": no address");
            }
        }
        List<InetAddress> checked = new ArrayList<>();
        for (InetAddress a : addresses) {
            checkAddress(l, f.name(), a, named);
            checked.add(a);
        }
        return new Checked(f.name(), port, checked);
    }

    private void checkAddress(AllowList l, String host, InetAddress a, boolean named) throws RefusedException {
        Optional<SpecialAddresses.Special> s = special.classify(a);
        if (s.isPresent() && !l.explicitlyAllows(a, s.get())) {
            throw new RefusedException(s.get().reason(), "host '" + host + "' is " + describe(a, host) + ", a "
                    + s.get().reason().wireName() + " address; only a CIDR entry within " + s.get().block()
                    + " allows it");
        }
        if (!named && !l.rangeContains(a)) {
            throw new RefusedException(Refusal.NOT_LISTED, "host '" + host + "' (" + a.getHostAddress()
                    + ") is not on the allow list");
        }
    }

    private static String describe(InetAddress a, String host) {
        String text = a.getHostAddress();
        return text.equals(host) || ("[" + text + "]").equals(host) ? "" + text : "at " + text;
    }
}
