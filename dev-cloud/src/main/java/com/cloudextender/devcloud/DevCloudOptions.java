package com.cloudextender.devcloud;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How to start a {@link DevCloud}.
 *
 * @param dataDir the data directory: TLS identity, registry, console token, uploads
 * @param domain the XMPP domain, which is also the cloud's address (e.g. {@code localhost})
 * @param directTlsPort the direct-TLS XMPP port, 0 for any free port
 * @param startTlsPort the STARTTLS XMPP port, 0 for any free port
 * @param apiPort the HTTPS port of registration, uploads, module downloads and console, 0 for any free port
 * @param modulesDir the module repository's folder: published packages and their {@code index.json}
 * @param durableCommands whether commands and results are kept in the data directory's command journal, so
 *                        that a restart loses no pending command (off for tests and benchmarks that send
 *                        millions of commands: each one then costs a sealed line on disk)
 */
public record DevCloudOptions(Path dataDir, String domain, int directTlsPort, int startTlsPort, int apiPort,
        Path modulesDir, boolean durableCommands) {
    /** The module repository's folder inside the data directory unless given otherwise. */
    public static final String DEFAULT_MODULES_DIR = "modules";

    public DevCloudOptions {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(modulesDir, "modulesDir");
        if (domain == null || domain.isBlank()) {
            throw new IllegalArgumentException("the domain must not be empty");
        }
        checkPort(directTlsPort, "directTlsPort");
        checkPort(startTlsPort, "startTlsPort");
        checkPort(apiPort, "apiPort");
    }

    /** Options with commands kept in memory only. */
    public DevCloudOptions(Path dataDir, String domain, int directTlsPort, int startTlsPort, int apiPort,
            Path modulesDir) {
        this(dataDir, domain, directTlsPort, startTlsPort, apiPort, modulesDir, false);
    }

    /** These options with commands and results kept in the data directory, or not. */
    public DevCloudOptions withDurableCommands(boolean durable) {
        return new DevCloudOptions(dataDir, domain, directTlsPort, startTlsPort, apiPort, modulesDir, durable);
    }

    /** These options with the given ports (a restart on the ports of the previous run). */
    public DevCloudOptions withPorts(int directTls, int startTls, int api) {
        return new DevCloudOptions(dataDir, domain, directTls, startTls, api, modulesDir, durableCommands);
    }

    /** Options with the module repository in {@code <dataDir>/modules/}. */
    public DevCloudOptions(Path dataDir, String domain, int directTlsPort, int startTlsPort, int apiPort) {
        this(dataDir, domain, directTlsPort, startTlsPort, apiPort,
                dataDir == null ? null : dataDir.resolve(DEFAULT_MODULES_DIR));
    }

    /** Domain {@code localhost}, every port chosen by the system: for tests and in-JVM use. */
    public static DevCloudOptions ephemeral(Path dataDir) {
        return new DevCloudOptions(dataDir, "localhost", 0, 0, 0);
    }

    private static void checkPort(int port, String name) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(name + " must be between 0 and 65535, not " + port);
        }
    }
}
