package com.cloudextender.core.diagnose;

import java.io.IOException;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

import com.cloudextender.api.ProxyRoute;
import com.cloudextender.core.config.ConfigException;
import com.cloudextender.core.config.ConfigLoader;
import com.cloudextender.core.config.ExtenderConfig;
import com.cloudextender.core.config.TlsMode;
import com.cloudextender.core.proxy.ProxyDecision;
import com.cloudextender.core.secret.MachineKey;
import com.cloudextender.core.secret.SecretBox;
import com.cloudextender.core.tls.TrustMaterial;

/**
 * {@code extender diagnose}: configuration, DNS, the proxy decision, TCP and TLS to the cloud, the cloud API,
 * clock skew, the directory servers and the data folder, each as one {@link Check} with what to fix.
 */
public final class Diagnosis {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Duration SKEW_WARN = Duration.ofMinutes(1);
    private static final Duration SKEW_FAIL = Duration.ofMinutes(5);
    private static final long DISK_WARN = 1L << 30;
    private static final long DISK_FAIL = 100L << 20;

    private final Path configFile;
    private final String machineId;
    private final Clock clock;
    private final List<Check> checks = new ArrayList<>();

    public Diagnosis(Path configFile, String machineId, Clock clock) {
        this.configFile = configFile;
        this.machineId = machineId;
        this.clock = clock;
    }

    /** Runs every check; a check that cannot run because an earlier one failed is left out. */
    public DiagnoseReport run() {
        checks.clear();
        Path dataDir;
        SecretBox secrets;
        ExtenderConfig config;
        try {
            dataDir = ConfigLoader.dataDir(configFile);
            secrets = new SecretBox(MachineKey.open(dataDir, machineId));
            config = ConfigLoader.load(configFile, secrets);
            checks.add(Check.ok("configuration", configFile + " loads"));
        } catch (ConfigException e) {
            checks.add(Check.fail("configuration", e.getMessage(), "correct the key named, or run extender setup"));
            return new DiagnoseReport(checks);
        } catch (RuntimeException e) {
            checks.add(Check.fail("configuration", "cannot open the machine key: " + e.getMessage(),
                    "run as the service account, which needs write access to the data folder"));
            return new DiagnoseReport(checks);
        }
        String host = config.cloud().host();
        int port = config.cloud().port();
        ProxyDecision proxies;
        try {
            // The same decision the extender makes at start: explicit, or discovered (environment, PAC, OS, WPAD).
            proxies = new com.cloudextender.core.proxy.ProxyDiscovery().decide(config.proxySettings());
        } catch (IllegalArgumentException e) {
            checks.add(Check.fail("proxy", "proxy discovery failed: " + e.getMessage(),
                    "correct proxy.pacUrl, or set proxy.mode=explicit with proxy.host"));
            return new DiagnoseReport(checks);
        }
        Optional<ProxyRoute> route = proxies.routeFor(host, port);
        checkDns(host, route.isPresent());
        checks.add(Check.ok("proxy", proxies.describe(host, port)));
        TrustMaterial trust;
        try {
            trust = TrustMaterial.load(config.cloud().trustStore(), config.cloud().trustStorePassword());
        } catch (ConfigException e) {
            checks.add(Check.fail("trust store", e.getMessage(), "correct cloud.trustStore"));
            return new DiagnoseReport(checks);
        }
        CloudProbe probe = new CloudProbe(trust.sslContext(), route, proxies.authenticator(), TIMEOUT);
        checkChannel(probe, host, port, config.cloud().tls() == TlsMode.DIRECT);
        route.ifPresent(r -> checkProxyLogin(proxies));
        config.cloud().apiUrl().ifPresent(api -> checkApi(api, trust, proxies));
        checkDirectory(config.modules().overrides().resolve("directory.properties"), secrets);
        checkDataDir(config.dataDir());
        return new DiagnoseReport(checks);
    }

    private void checkDns(String host, boolean viaProxy) {
        try {
            InetAddress[] all = InetAddress.getAllByName(host);
            checks.add(Check.ok("DNS", host + " is " + Arrays.stream(all).map(InetAddress::getHostAddress).distinct()
                    .toList()));
        } catch (UnknownHostException e) {
            if (viaProxy) {
                checks.add(Check.warn("DNS", host + " does not resolve here", "none if the proxy resolves it (the "
                        + "connection checks below tell)"));
            } else {
                checks.add(Check.fail("DNS", host + " does not resolve", "check cloud.host and this machine's DNS "
                        + "servers, or configure the proxy if the internet is only reachable through it"));
            }
        }
    }

    private void checkChannel(CloudProbe probe, String host, int port, boolean directTls) {
        try {
            CloudAnswer a = probe.connect(host, port, directTls);
            if (!directTls) {
                checks.add(Check.ok("channel TCP", host + ":" + port + " accepts connections (TLS starts in the "
                        + "XMPP stream)"));
                return;
            }
            checks.add(certificateCheck("channel TLS", host + ":" + port, a.chain()));
        } catch (ProbeFailure e) {
            checks.add(Check.fail("channel", e.getMessage(), fixFor(e.kind())));
        }
    }

    private void checkApi(URI api, TrustMaterial trust, ProxyDecision proxies) {
        int port = api.getPort() > 0 ? api.getPort() : 443;
        CloudProbe probe = new CloudProbe(trust.sslContext(), proxies.routeFor(api.getHost(), port),
                proxies.authenticator(), TIMEOUT);
        try {
            Instant before = clock.instant();
            CloudAnswer a = probe.get(api);
            Instant after = clock.instant();
            Check cert = certificateCheck("API TLS", api.getHost() + ":" + port, a.chain());
            checks.add(cert);
            if (a.httpStatus() >= 500) {
                checks.add(Check.warn("cloud API", api + " answered HTTP " + a.httpStatus(),
                        "the cloud has a problem; try again later or ask the cloud operator"));
            } else {
                checks.add(Check.ok("cloud API", api + " answered HTTP " + a.httpStatus()));
            }
            checkClock(a.date(), before.plus(Duration.between(before, after).dividedBy(2)));
        } catch (ProbeFailure e) {
            checks.add(Check.fail("cloud API", e.getMessage(), fixFor(e.kind())));
        }
    }

    /** What the channel's CONNECT showed of the proxy's authentication: the schemes offered and the one used. */
    private void checkProxyLogin(ProxyDecision proxies) {
        java.util.Map<String, Object> r = proxies.authenticator().status().report();
        String allowed = "allowed (proxy.authSchemes): " + proxies.authenticator().allowedNames();
        if (r.get("since") != null) {
            checks.add(Check.ok("proxy authentication", "proxy " + r.get("proxy") + " offers " + r.get("offered")
                    + "; " + allowed + "; logged in with " + r.get("scheme")));
        } else if (r.get("lastFailure") != null) {
            checks.add(Check.fail("proxy authentication", String.valueOf(r.get("lastFailure")),
                    "change what the message names: proxy.authSchemes, proxy.username, proxy.domain, proxy.password "
                            + "or the Kerberos keys"));
        }
    }

    private static Check certificateCheck(String name, String where, List<X509Certificate> chain) {
        X509Certificate leaf = chain.get(0);
        long days = ChronoUnit.DAYS.between(Instant.now(), leaf.getNotAfter().toInstant());
        String detail = where + ": chain of " + chain.size() + " verified, host name matches, "
                + leaf.getSubjectX500Principal().getName() + " expires in " + days + " days";
        return days < 14 ? Check.warn(name, detail, "the cloud operator must renew the certificate soon")
                : Check.ok(name, detail);
    }

    private void checkClock(Optional<Instant> serverDate, Instant local) {
        if (serverDate.isEmpty()) {
            checks.add(Check.warn("clock", "the cloud's answer had no Date header; skew not measured", "none needed"));
            return;
        }
        Duration skew = Duration.between(serverDate.get(), local);
        long seconds = Math.abs(skew.toSeconds());
        // The Date header has whole seconds: up to a second of apparent skew is rounding.
        String detail = "this machine is " + seconds + " s " + (skew.isNegative() ? "behind" : "ahead of") + " the cloud";
        if (skew.abs().compareTo(SKEW_FAIL) > 0) {
            checks.add(Check.fail("clock", detail, "synchronise the clock (NTP); certificates and tokens depend on it"));
        } else if (skew.abs().compareTo(SKEW_WARN) > 0) {
            checks.add(Check.warn("clock", detail, "synchronise the clock (NTP)"));
        } else {
            checks.add(Check.ok("clock", detail));
        }
    }

    private void checkDirectory(Path file, SecretBox secrets) {
        if (!Files.exists(file)) {
            checks.add(Check.ok("directory", "no " + file.getFileName() + " in the module settings: not checked"));
            return;
        }
        Properties p = new Properties();
        try {
            p.load(new StringReader(Files.readString(file)));
        } catch (IOException | IllegalArgumentException e) {
            checks.add(Check.fail("directory", "cannot read " + file + ": " + e.getMessage(), "correct the file"));
            return;
        }
        for (String profile : p.getProperty("profiles", "").split(",")) {
            if (!profile.isBlank()) {
                checkProfile(file, p, profile.trim(), secrets);
            }
        }
    }

    private void checkProfile(Path file, Properties p, String profile, SecretBox secrets) {
        String k = "profile." + profile + ".";
        String name = "directory " + profile;
        List<String> servers = Arrays.stream(p.getProperty(k + "servers", "").split(",")).map(String::trim)
                .filter(s -> !s.isEmpty()).toList();
        String bindDn = p.getProperty(k + "bindDn", "").trim();
        String password = p.getProperty(k + "bindPassword", "").trim();
        if (servers.isEmpty() || bindDn.isEmpty() || password.isEmpty()) {
            checks.add(Check.warn(name, "servers, bindDn or bindPassword not in " + file.getFileName()
                    + " (the cloud may send them)", "none if the cloud configures this profile"));
            return;
        }
        DirectoryTransport transport = DirectoryTransport.of(profile, p, servers);
        transport.check(name, profile).ifPresent(checks::add);
        if (transport.problem().isPresent()) {
            return;
        }
        try {
            String clear = secrets.open(file.getFileName().toString(), k + "bindPassword", password);
            Optional<Path> trustStore = Optional.ofNullable(p.getProperty(k + "trustStore")).map(String::trim)
                    .filter(s -> !s.isEmpty()).map(Path::of);
            DirectoryProbe.Settings s = new DirectoryProbe.Settings(servers, transport.startTls(), bindDn,
                    p.getProperty(k + "type", "activeDirectory").trim());
            try (DirectoryProbe probe = DirectoryProbe.bind(s, clear, TrustMaterial.load(trustStore, Optional.empty())
                    .trustManager(), (int) TIMEOUT.toMillis())) {
                checks.add(Check.ok(name, probe.server() + " accepted the service account " + bindDn));
                if (synchronised(p, profile)) {
                    probe.deletedObjectsCheck(name + " deleted objects").ifPresent(checks::add);
                }
            }
        } catch (ConfigException e) {
            checks.add(Check.fail(name, e.getMessage(), "write the password in clear again (extender setup)"));
        } catch (ProbeFailure e) {
            checks.add(Check.fail(name, e.getMessage(), "correct " + file.getFileName() + " or run extender setup"));
        }
    }

    private static boolean synchronised(Properties p, String profile) {
        return Arrays.stream(p.getProperty("sync.profiles", "").split(",")).map(String::trim).anyMatch(profile::equals);
    }

    private void checkDataDir(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
            Path probe = Files.createTempFile(dataDir, ".diagnose", ".tmp");
            Files.delete(probe);
        } catch (IOException e) {
            checks.add(Check.fail("data folder", dataDir + " is not writable: " + e.getMessage(),
                    "give the service account write access to it"));
            return;
        }
        long free = dataDir.toFile().getUsableSpace();
        String detail = dataDir + " is writable, " + (free >> 20) + " MB free";
        if (free < DISK_FAIL) {
            checks.add(Check.fail("data folder", detail, "free disk space (at least 1 GB)"));
        } else if (free < DISK_WARN) {
            checks.add(Check.warn("data folder", detail, "free disk space (at least 1 GB)"));
        } else {
            checks.add(Check.ok("data folder", detail));
        }
    }

    private static String fixFor(ProbeFailure.Kind kind) {
        return switch (kind) {
            case DNS -> "check cloud.host (or proxy.host) and this machine's DNS";
            case PROXY_REFUSED -> "correct proxy.username and proxy.password, or ask the proxy administrator to allow "
                    + "the cloud";
            case TLS -> "set cloud.trustStore to the cloud's CA certificate, or use the host name the certificate covers";
            default -> "check the address, the port and the firewall (or the proxy settings)";
        };
    }
}
