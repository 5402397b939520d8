package com.cloudextender.modules.meg.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import com.cloudextender.api.ModuleConfig;
import com.cloudextender.modules.meg.allow.AllowList;

/**
 * The module's settings, read from its configuration (modules/meg/README.md lists every key).
 *
 * @param relays            the relay endpoints; connection i starts on relay i modulo their number
 * @param credential        the relay credential (secret): never logged
 * @param relayTrust        PEM file of CAs trusted for the relay, or empty for the JVM's
 * @param connections       how many tunnel connections to keep
 * @param pingInterval      time between HTTP/2 PINGs on an idle or busy connection
 * @param pingTimeout       a PING not answered within this closes the connection
 * @param backoffInitial    first reconnect delay
 * @param backoffMax        largest reconnect delay
 * @param connectTimeout    TCP connect (and proxy, and TLS) time limit, to the relay and to targets
 * @param targetTrust       PEM file of CAs trusted for HTTPS targets in addition to the JVM's
 * @param streamIdle        a stream with no byte either way for this long ends with a timeout
 * @param streamMax         a stream open longer than this ends with a timeout (zero: no limit)
 * @param maxStreamsPerConnection concurrent streams one connection accepts (HTTP/2 setting)
 * @param maxStreams        concurrent streams over all connections
 * @param streamWindow      HTTP/2 flow-control window per stream: the most a stream buffers inbound
 * @param allowList         what may be reached
 */
public record MegConfig(List<RelayAddress> relays, String credential, Optional<Path> relayTrust, int connections,
        Duration pingInterval, Duration pingTimeout, Duration backoffInitial, Duration backoffMax,
        Duration connectTimeout, Optional<Path> targetTrust, Duration streamIdle, Duration streamMax,
        int maxStreamsPerConnection, int maxStreams, int streamWindow, AllowList allowList) {

    /** Reads and checks the configuration; every message names its key. */
    public static MegConfig from(ModuleConfig c) {
        List<RelayAddress> relays = RelayAddress.parseList(c.require("relay.addresses"));
        String credential = c.require("relay.credential");
        if (credential.isBlank()) {
            throw new IllegalArgumentException("relay.credential: empty");
        }
        int connections = c.intValue("relay.connections", 2);
        if (connections < 1 || connections > 16) {
            throw new IllegalArgumentException("relay.connections: " + connections + " is not between 1 and 16");
        }
        Duration pingInterval = positive(c, "relay.pingInterval", Duration.ofSeconds(10));
        Duration pingTimeout = positive(c, "relay.pingTimeout", Duration.ofSeconds(5));
        Duration backoffInitial = positive(c, "relay.backoffInitial", Duration.ofSeconds(1));
        Duration backoffMax = positive(c, "relay.backoffMax", Duration.ofSeconds(60));
        if (backoffMax.compareTo(backoffInitial) < 0) {
            throw new IllegalArgumentException("relay.backoffMax: shorter than relay.backoffInitial");
        }
        int perConnection = c.intValue("stream.maxPerConnection", 256);
        int total = c.intValue("stream.maxTotal", 1024);
        int window = c.intValue("stream.window", 256 * 1024);
        if (perConnection < 1 || total < 1) {
            throw new IllegalArgumentException("stream.maxPerConnection and stream.maxTotal: at least 1");
        }
        if (window < 16 * 1024 || window > 16 * 1024 * 1024) {
            throw new IllegalArgumentException("stream.window: " + window + " is not between 16384 and 16777216");
        }
        Duration streamMax = c.durationValue("stream.maxDuration", Duration.ZERO);
        AllowList allow = AllowList.parse(c.get("allow.hosts").orElse(""), c.get("allow.cidrs").orElse(""),
                c.get("allow.ports").orElse("80,443"), c.get("allow.schemes").orElse("http,https"),
                c.get("allow.connectPorts").orElse(""));
        return new MegConfig(relays, credential, pem(c, "relay.trustStore"), connections, pingInterval, pingTimeout,
                backoffInitial, backoffMax, positive(c, "connectTimeout", Duration.ofSeconds(10)),
                pem(c, "target.trustStore"), positive(c, "stream.idleTimeout", Duration.ofMinutes(5)), streamMax,
                perConnection, total, window, allow);
    }

    /** True when {@code other} differs only in its allow list, so it can be applied without reconnecting. */
    public boolean sameTunnelAs(MegConfig other) {
        return relays.equals(other.relays) && credential.equals(other.credential) && relayTrust.equals(other.relayTrust)
                && connections == other.connections && pingInterval.equals(other.pingInterval)
                && pingTimeout.equals(other.pingTimeout) && backoffInitial.equals(other.backoffInitial)
                && backoffMax.equals(other.backoffMax) && connectTimeout.equals(other.connectTimeout)
                && targetTrust.equals(other.targetTrust) && streamIdle.equals(other.streamIdle)
                && streamMax.equals(other.streamMax) && maxStreamsPerConnection == other.maxStreamsPerConnection
                && maxStreams == other.maxStreams && streamWindow == other.streamWindow;
    }

    private static Duration positive(ModuleConfig c, String key, Duration otherwise) {
        Duration d = c.durationValue(key, otherwise);
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(key + ": must be longer than zero");
        }
        return d;
    }

    private static Optional<Path> pem(ModuleConfig c, String key) {
        Optional<String> v = c.get(key).filter(s -> !s.isBlank());
        if (v.isEmpty()) {
            return Optional.empty();
        }
        Path p = Path.of(v.get().trim());
        if (!Files.isReadable(p)) {
            throw new IllegalArgumentException(key + ": cannot read the PEM file " + p);
        }
        return Optional.of(p);
    }

    @Override
    public String toString() {
        return "MegConfig[relays=" + relays + ", connections=" + connections + ", credential=***]";
    }
}
