package com.cloudextender.core.secret;

import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Finds a stable identifier of the machine the extender runs on: Windows' MachineGuid, Linux's
 * machine-id, macOS's platform UUID, or as a last resort the host name and hardware addresses. The
 * extender's local key is derived from it, so state copied to another machine cannot be opened there.
 */
public final class MachineId {
    /** Overrides the detected id; meant for tests and for running several extenders on one machine. */
    public static final String OVERRIDE_PROPERTY = "cloudextender.machineId";

    private MachineId() {
    }

    /** The id of this machine, never empty. */
    public static String detect() {
        String override = System.getProperty(OVERRIDE_PROPERTY);
        if (override != null && !override.isBlank()) {
            return override.trim();
        }
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        Optional<String> id;
        if (os.contains("win")) {
            id = command("reg", "query", "HKLM\\SOFTWARE\\Microsoft\\Cryptography", "/v", "MachineGuid")
                    .flatMap(out -> lastTokenOfLineContaining(out, "MachineGuid"));
        } else if (os.contains("mac")) {
            id = command("ioreg", "-rd1", "-c", "IOPlatformExpertDevice")
                    .flatMap(out -> lastTokenOfLineContaining(out, "IOPlatformUUID"));
        } else {
            id = file(Path.of("/etc/machine-id")).or(() -> file(Path.of("/var/lib/dbus/machine-id")));
        }
        return id.orElseGet(MachineId::hostAndHardware);
    }

    private static Optional<String> file(Path p) {
        try {
            String s = Files.readString(p, StandardCharsets.UTF_8).trim();
            return s.isEmpty() ? Optional.empty() : Optional.of(s);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> command(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? Optional.of(out) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static Optional<String> lastTokenOfLineContaining(String text, String marker) {
        return text.lines().filter(l -> l.contains(marker)).findFirst()
                .map(l -> l.trim().replace("\"", "").replaceAll(".*[\\s=]", ""))
                .filter(s -> !s.isEmpty());
    }

    private static String hostAndHardware() {
        TreeSet<String> parts = new TreeSet<>();
        try {
            parts.add(InetAddress.getLocalHost().getHostName());
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                byte[] mac = ni.getHardwareAddress();
                if (mac != null && !ni.isVirtual()) {
                    parts.add(HexFormat.of().formatHex(mac));
                }
            }
        } catch (IOException e) {
            parts.add("unknown-host");
        }
        return String.join("|", parts);
    }
}
