package com.cloudextender.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;

import com.cloudextender.core.Extender;
import com.cloudextender.core.StartupException;
import com.cloudextender.devcloud.DevCloud;

/**
 * An extender installation in a folder (conf/extender.properties, data/) pointed at a dev cloud, as an
 * administrator would set it up. Used by the demo, the end-to-end tests and the benchmarks.
 */
public final class ExtenderFixture {
    private final Path home;
    private final String machineId;

    private ExtenderFixture(Path home, String machineId) {
        this.home = home;
        this.machineId = machineId;
    }

    /**
     * Writes a configuration for {@code cloud} with a fresh activation code for {@code customer}.
     *
     * @param overrides extra or replaced keys
     */
    public static ExtenderFixture install(Path home, DevCloud cloud, String customer, String machineId,
            boolean starttls, Map<String, String> overrides) throws IOException {
        Map<String, String> c = new TreeMap<>();
        c.put("cloud.host", "localhost");
        c.put("cloud.port", Integer.toString(starttls ? cloud.startTlsPort() : cloud.directTlsPort()));
        c.put("cloud.tls", starttls ? "starttls" : "direct");
        c.put("cloud.xmppDomain", cloud.domain());
        c.put("cloud.apiUrl", cloud.apiUrl().toString());
        c.put("cloud.trustStore", cloud.certificatePem().toAbsolutePath().toString());
        c.put("activation.code", cloud.createActivationCode(customer));
        c.put("data.dir", "data"); // relative to the installation folder, so a copied folder is self-contained
        c.put("reconnect.initialDelay", "200ms");
        c.put("reconnect.maxDelay", "2s");
        c.put("health.interval", "30s");
        c.put("modules.publishers", DevPackages.publishers().toString());
        // The dev cloud's packages are signed with the development key: accepted here only because this is a
        // development installation (the extender warns about it at every start).
        c.put("modules.allowDevelopmentPublisher", "true");
        // Several extenders run side by side in tests and benchmarks: no status page unless a test asks.
        c.put("status.port", "0");
        c.putAll(overrides);
        if (!c.containsKey("proxy.host") && !c.containsKey("proxy.pacUrl") && !c.containsKey("proxy.mode")) {
            // Everything here is on loopback: never through a proxy this machine may name (HTTPS_PROXY, WPAD).
            c.put("proxy.mode", "none");
        }
        c.values().removeIf(v -> v == null);
        StringBuilder text = new StringBuilder("# written by the fixture\n");
        c.forEach((k, v) -> text.append(k).append('=').append(v.replace("\\", "\\\\")).append('\n'));
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve("conf/extender.properties"), text);
        return new ExtenderFixture(home, machineId);
    }

    /** A copy of this whole installation folder at {@code newHome}, on the machine {@code otherMachineId}. */
    public ExtenderFixture copyTo(Path newHome, String otherMachineId) throws IOException {
        try (var files = Files.walk(home)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path target = newHome.resolve(home.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        return new ExtenderFixture(newHome, otherMachineId);
    }

    public Extender start() throws StartupException {
        return Extender.start(config(), machineId, Clock.systemUTC());
    }

    public Path config() {
        return home.resolve("conf/extender.properties");
    }

    public Path home() {
        return home;
    }
}
