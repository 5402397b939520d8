package com.cloudextender.core.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The extender's validated configuration (see conf/extender.properties for each key). Immutable.
 * Secret values are already decrypted here and must never be logged; {@link #toString()} hides them.
 */
public record ExtenderConfig(
        Cloud cloud,
        Optional<XmppAccount> xmppAccount,
        Optional<String> activationCode,
        Optional<ProxyConfig> proxy,
        Commands commands,
        Reconnect reconnect,
        Duration pingInterval,
        Duration connectTimeout,
        Duration handshakeTimeout,
        Duration healthInterval,
        Duration outboxRetryInterval,
        Duration rememberResultsFor,
        Path dataDir,
        String releaseChannel,
        Modules modules,
        Status status,
        com.cloudextender.core.proxy.ProxySettings proxySettings) {

    /** Where the cloud is and how to trust it. */
    public record Cloud(String host, int port, TlsMode tls, String xmppDomain, Optional<URI> apiUrl,
            List<String> addresses, Optional<Path> trustStore, Optional<String> trustStorePassword) {
        @Override
        public String toString() {
            return "Cloud[host=" + host + ", port=" + port + ", tls=" + tls + ", xmppDomain=" + xmppDomain
                    + ", apiUrl=" + apiUrl.map(com.cloudextender.core.net.Urls::shown) + ", addresses=" + addresses + ", trustStore=" + trustStore + "]";
        }
    }

    /** An XMPP account given directly in the configuration (for standard XMPP servers). */
    public record XmppAccount(String username, String password, String resource) {
        @Override
        public String toString() {
            return "XmppAccount[username=" + username + ", resource=" + resource + ", password=***]";
        }
    }

    /** An explicit HTTP CONNECT proxy; {@link #proxySettings()} has the mode, discovery and authentication. */
    public record ProxyConfig(String host, int port, Optional<String> username, Optional<String> password) {
        @Override
        public String toString() {
            return "ProxyConfig[host=" + host + ", port=" + port + ", username=" + username.orElse("") + "]";
        }
    }

    /**
     * Limits of the command worker pool.
     *
     * @param timeout    the time limit of a command that names none
     * @param maxTimeout the longest time limit a command may ask for; longer ones are cut to it
     * @param queueBytes the arguments of all admitted, unfinished commands together; beyond it new
     *                   commands are refused as busy
     */
    public record Commands(int workers, int queue, Duration timeout, int maxArgumentBytes, Duration maxTimeout,
            long queueBytes) {
    }

    /**
     * How modules are verified, loaded and updated.
     *
     * @param publishers     PEM file or folder of the publisher certificates whose signatures are trusted
     * @param overrides      folder of the administrator's local module settings ({@code <id>.properties})
     * @param updateWindow   upgrades wait for this daily window (local time); empty means at any time
     * @param deferUntil     upgrades wait until this date (inclusive); empty means no deferral
     * @param allowDevelopmentPublisher whether packages signed with the development key are loaded
     *                       (development and test machines only)
     * @param deniedPublishers SHA-256 fingerprints (lower-case hex) of publisher or signer certificates, or of
     *                       their public keys, that are refused even when trusted
     * @param minimumVersions per module id, the lowest version that may ever be installed, which is also
     *                       how far {@code allowDowngrade} may go back (docs/MODULE-PACKAGE.md, "Downgrades")
     */
    public record Modules(Path publishers, Path overrides, Optional<UpdateWindow> updateWindow,
            Optional<java.time.LocalDate> deferUntil, Duration startTimeout, Duration stopTimeout,
            Duration drainTimeout, long maxPackageBytes, boolean allowDevelopmentPublisher,
            java.util.Set<String> deniedPublishers,
            java.util.Map<String, com.cloudextender.core.module.pack.ModuleVersion> minimumVersions) {
        public Modules {
            deniedPublishers = java.util.Set.copyOf(deniedPublishers);
            minimumVersions = java.util.Map.copyOf(minimumVersions);
        }

        /** Settings with no development publisher, no deny list and no minimum versions. */
        public Modules(Path publishers, Path overrides, Optional<UpdateWindow> updateWindow,
                Optional<java.time.LocalDate> deferUntil, Duration startTimeout, Duration stopTimeout,
                Duration drainTimeout, long maxPackageBytes) {
            this(publishers, overrides, updateWindow, deferUntil, startTimeout, stopTimeout, drainTimeout,
                    maxPackageBytes, false, java.util.Set.of(), java.util.Map.of());
        }

        /** These settings with the development publisher allowed or not. */
        public Modules withDevelopmentPublisher(boolean allowed) {
            return new Modules(publishers, overrides, updateWindow, deferUntil, startTimeout, stopTimeout,
                    drainTimeout, maxPackageBytes, allowed, deniedPublishers, minimumVersions);
        }
    }

    /** A daily window {@code from}–{@code to} in local time; may wrap past midnight (22:00-04:00). */
    public record UpdateWindow(java.time.LocalTime from, java.time.LocalTime to) {
        /** True when {@code time} falls inside the window. */
        public boolean contains(java.time.LocalTime time) {
            return from.isBefore(to) ? !time.isBefore(from) && time.isBefore(to)
                    : !time.isBefore(from) || time.isBefore(to);
        }

        @Override
        public String toString() {
            return from + "-" + to;
        }
    }

    /**
     * The local status page, {@code /metrics} and {@code /ready} (docs/OPERATIONS.md).
     *
     * @param port                 TCP port; 0 turns the page off
     * @param bind                 address to listen on; anything but loopback requires a password and TLS
     * @param username             HTTP Basic user name, used with the password
     * @param password             when present, required on every path but {@code /ready}; a secret
     * @param keyStore             PKCS#12 key store with the page's TLS key; when present the page is HTTPS
     * @param keyStorePassword     its password; a secret
     * @param allowPlaintextRemote serve plain HTTP on a non-loopback address all the same
     */
    public record Status(int port, String bind, String username, Optional<String> password, Optional<Path> keyStore,
            Optional<String> keyStorePassword, boolean allowPlaintextRemote) {
        /** False when the administrator turned the page off. */
        public boolean enabled() {
            return port != 0;
        }

        @Override
        public String toString() {
            return "Status[port=" + port + ", bind=" + bind + ", username=" + username + ", password="
                    + password.map(p -> "***") + ", keyStore=" + keyStore + ", allowPlaintextRemote="
                    + allowPlaintextRemote + "]";
        }
    }

    /** Reconnect backoff: exponential from {@code initialDelay} to {@code maxDelay}, with jitter. */
    public record Reconnect(Duration initialDelay, Duration maxDelay) {
    }

    @Override
    public String toString() {
        return "ExtenderConfig[cloud=" + cloud + ", xmppAccount=" + xmppAccount + ", activationCode="
                + activationCode.map(c -> "***") + ", proxy=" + proxy + ", commands=" + commands + ", dataDir="
                + dataDir + "]";
    }
}
