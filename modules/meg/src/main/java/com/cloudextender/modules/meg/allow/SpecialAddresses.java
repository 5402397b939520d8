package com.cloudextender.modules.meg.allow;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The addresses a relayed request must never reach unless the administrator names them explicitly:
 * loopback, link-local, cloud metadata services, unspecified, multicast and broadcast, and the
 * extender's own addresses. Each comes with its block: only a CIDR entry lying inside that block
 * allows an address of it, so {@code 0.0.0.0/0} allows none of them but {@code 127.0.0.1/32} allows
 * that one loopback address.
 */
public final class SpecialAddresses {
    /** A special address: why, and the block an allowing entry must lie in. */
    public record Special(Refusal reason, Cidr block) {
    }

    private record Block(Cidr cidr, Refusal reason) {
    }

    /** Most specific first: a metadata address is also link-local, and must be named as itself. */
    private static final List<Block> BLOCKS = List.of(
            block("169.254.169.254/32", Refusal.METADATA),   // AWS, GCP, Azure, OpenStack…
            block("169.254.170.2/32", Refusal.METADATA),     // AWS ECS task metadata
            block("169.254.170.23/32", Refusal.METADATA),    // AWS EKS pod identity
            block("100.100.100.200/32", Refusal.METADATA),   // Alibaba Cloud
            block("168.63.129.16/32", Refusal.METADATA),     // Azure wire server
            block("fd00:ec2::254/128", Refusal.METADATA),    // AWS over IPv6
            block("fd00:ec2::23/128", Refusal.METADATA),     // AWS EKS pod identity over IPv6
            block("0.0.0.0/8", Refusal.UNSPECIFIED),
            block("::/128", Refusal.UNSPECIFIED),
            block("127.0.0.0/8", Refusal.LOOPBACK),
            block("::1/128", Refusal.LOOPBACK),
            block("169.254.0.0/16", Refusal.LINK_LOCAL),
            block("fe80::/10", Refusal.LINK_LOCAL),
            block("224.0.0.0/4", Refusal.MULTICAST),
            block("255.255.255.255/32", Refusal.MULTICAST),
            block("ff00::/8", Refusal.MULTICAST));

    private final Supplier<List<InetAddress>> ownAddresses;

    /** @param ownAddresses the extender's own addresses, asked on every check */
    public SpecialAddresses(Supplier<List<InetAddress>> ownAddresses) {
        this.ownAddresses = ownAddresses;
    }

    /** With the machine's interface addresses, read again at most every 30 s. */
    public static SpecialAddresses ofThisMachine() {
        return new SpecialAddresses(new CachedInterfaces());
    }

    /** What is special about {@code a} (checked as its {@link HostForm#effective} IPv4 form too), if anything. */
    public Optional<Special> classify(InetAddress a) {
        InetAddress e = HostForm.effective(a);
        for (Block b : BLOCKS) {
            if (b.cidr.contains(e) || b.cidr.contains(a)) {
                return Optional.of(new Special(b.reason, b.cidr));
            }
        }
        for (InetAddress own : ownAddresses.get()) {
            InetAddress o = HostForm.effective(own);
            if (o.equals(e) || own.equals(a)) {
                return Optional.of(new Special(Refusal.OWN_ADDRESS, Cidr.of(o)));
            }
        }
        return Optional.empty();
    }

    private static Block block(String cidr, Refusal reason) {
        return new Block(Cidr.parse(cidr), reason);
    }

    /** The interface addresses, scope ids dropped, cached for 30 s. */
    private static final class CachedInterfaces implements Supplier<List<InetAddress>> {
        private static final long TTL_NANOS = 30_000_000_000L;
        private List<InetAddress> cached = List.of();
        private long readAt;
        private boolean read;

        @Override
        public synchronized List<InetAddress> get() {
            long now = System.nanoTime();
            if (!read || now - readAt > TTL_NANOS) {
                cached = read();
                readAt = now;
                read = true;
            }
            return cached;
        }

        private static List<InetAddress> read() {
            List<InetAddress> all = new ArrayList<>();
            try {
                for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                    for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                        all.add(InetAddress.getByAddress(a.getAddress()));
                    }
                }
            } catch (SocketException | java.net.UnknownHostException e) {
                // Without the list, loopback and the other blocks are still refused; own addresses on
                // other interfaces are then only as safe as the allow list.
                return List.of();
            }
            return List.copyOf(all);
        }
    }
}
