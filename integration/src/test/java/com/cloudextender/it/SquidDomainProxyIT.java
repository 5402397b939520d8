package com.cloudextender.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.cloudextender.api.OutboundProxies;
import com.cloudextender.core.Extender;
import com.cloudextender.core.StartupException;
import com.cloudextender.core.diagnose.Check;
import com.cloudextender.core.diagnose.DiagnoseReport;
import com.cloudextender.core.diagnose.Diagnosis;
import com.cloudextender.demo.DevPackages;
import com.cloudextender.demo.ExtenderFixture;
import com.cloudextender.devcloud.CommandOutcome;
import com.cloudextender.devcloud.DevCloud;
import com.cloudextender.devcloud.DevCloudOptions;
import com.cloudextender.modules.support.http.HttpAnswer;
import com.cloudextender.modules.support.http.ModuleHttp;

/**
 * Two real squids in front of one Samba AD DC, between the extender and a dev cloud: one authenticates NTLM
 * only, through Samba's {@code ntlm_auth} with the DC's default {@code ntlm auth = ntlmv2-only}
 * ({@code scripts/peers/samba start DIR winbind}, {@code scripts/peers/squid start-ntlm}); the other
 * Negotiate (Kerberos) only, with {@code negotiate_kerberos_auth} and a keytab exported by
 * {@code samba-tool domain exportkeytab} ({@code scripts/peers/squid start-kerberos}). Through each,
 * registration, the channel, a module download and an upload go as the domain user, which squid's access
 * log shows; a wrong password, a scheme the administrator does not allow and a missing Kerberos key stop
 * the start with the proxy, the schemes and what to change. Needs root (the DC, a mount namespace); without
 * root it is skipped. It starts its own DC and stops it by PID: do not run it beside another test that
 * starts Samba (SambaAdIT).
 */
class SquidDomainProxyIT {
    private static final Duration T = Duration.ofSeconds(40);
    private static final String USER = "jsmith";
    private static final String PASSWORD = "Pass-jsmith1";
    private static final String REALM = "CORP.EXAMPLE.TEST";

    private static Path scripts;
    private static Path sambaDir;
    private static Path squidDir;
    private static Path accessLog;
    private static int port;
    private static Path kerberosDir;
    private static Path kerberosLog;
    private static int kerberosPort;
    private static Path userKeytab;
    private static DevCloud cloud;
    private static Path example;

    @TempDir
    static Path shared;
    @TempDir
    Path home;

    @BeforeAll
    static void up() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "squid with ntlm_auth and a Samba DC need root");
        Path moduleDir = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
        Path root = moduleDir;
        while (root != null && !Files.isExecutable(root.resolve("scripts/peers/squid"))) {
            root = root.getParent();
        }
        if (root == null) {
            fail("scripts/peers/squid not found above " + moduleDir);
        }
        scripts = root.resolve("scripts/peers");
        check(run(Duration.ofMinutes(10), "samba", "install"), "install Samba");
        check(run(Duration.ofMinutes(10), "squid", "install"), "install squid");
        // Under target/, not /tmp: squid's helpers run as the proxy user, which must reach both folders.
        Path base = moduleDir.resolve("target/squid-domain-it");
        sambaDir = base.resolve("samba");
        squidDir = base.resolve("squid");
        run(Duration.ofSeconds(20), "squid", "stop", squidDir.toString()); // left over from an interrupted run
        run(Duration.ofSeconds(30), "samba", "stop", sambaDir.toString());
        deleteTree(base);
        Files.createDirectories(base);
        base.toFile().setExecutable(true, false);
        base.toFile().setReadable(true, false);
        check(run(Duration.ofMinutes(3), "samba", "start", sambaDir.toString(), "winbind"), "start the Samba DC");
        check(run(Duration.ofMinutes(1), "samba", "user", sambaDir.toString(), USER, PASSWORD), "create " + USER);
        String started = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            port = freePort();
            started = run(Duration.ofSeconds(30), "squid", "start-ntlm", squidDir.toString(), Integer.toString(port),
                    sambaDir.toString());
            if (started == null) {
                break;
            }
        }
        check(started, "start squid with NTLM");
        accessLog = squidDir.resolve("log/access.log");
        kerberosDir = base.resolve("squid-kerberos");
        Files.createDirectories(kerberosDir);
        Path krb5 = base.resolve("krb5.conf");
        Path serviceKeytab = base.resolve("http.keytab");
        userKeytab = base.resolve("jsmith.keytab");
        check(run(Duration.ofSeconds(20), "samba", "krb5conf", sambaDir.toString(), krb5.toString()), "write krb5.conf");
        check(run(Duration.ofMinutes(1), "samba", "service", sambaDir.toString(), "squidsvc", "HTTP/localhost",
                serviceKeytab.toString()), "create the proxy's service principal");
        check(run(Duration.ofMinutes(1), "samba", "keytab", sambaDir.toString(), USER + "@" + REALM,
                userKeytab.toString()), "export " + USER + "'s keys");
        // The extender runs in this JVM: this is what -Djava.security.krb5.conf in conf/jvm.options does.
        System.setProperty("java.security.krb5.conf", krb5.toString());
        for (int attempt = 0; attempt < 3; attempt++) {
            kerberosPort = freePort();
            started = run(Duration.ofSeconds(30), "squid", "start-kerberos", kerberosDir.toString(),
                    Integer.toString(kerberosPort), serviceKeytab.toString(), krb5.toString(),
                    "HTTP/localhost@" + REALM);
            if (started == null) {
                break;
            }
        }
        check(started, "start squid with Kerberos");
        kerberosLog = kerberosDir.resolve("log/access.log");
        cloud = DevCloud.start(DevCloudOptions.ephemeral(shared.resolve("cloud")));
        example = DevPackages.built("example");
        cloud.publishModule(example, "stable");
    }

    @AfterAll
    static void down() throws Exception {
        if (cloud != null) {
            cloud.close();
        }
        if (squidDir != null) {
            run(Duration.ofSeconds(20), "squid", "stop", squidDir.toString());
        }
        if (kerberosDir != null) {
            run(Duration.ofSeconds(20), "squid", "stop", kerberosDir.toString());
        }
        if (sambaDir != null) {
            run(Duration.ofSeconds(30), "samba", "stop", sambaDir.toString());
        }
    }

    private Map<String, String> proxy(String password, String schemes) {
        return Map.of("proxy.host", "127.0.0.1", "proxy.port", Integer.toString(port), "proxy.username",
                "CORP\\" + USER, "proxy.password", password, "proxy.authSchemes", schemes);
    }

    @Test
    void registrationChannelModuleDownloadAndUploadGoThroughNtlm() throws Exception {
        throughProxy(accessLog, "ntlm-co", "machine-ntlm1", proxy(PASSWORD, "negotiate,ntlm"), "NTLM",
                " CORP\\\\" + USER + " ");
    }

    @Test
    void registrationChannelModuleDownloadAndUploadGoThroughKerberos() throws Exception {
        Map<String, String> negotiate = Map.of("proxy.host", "localhost", "proxy.port",
                Integer.toString(kerberosPort), "proxy.authSchemes", "negotiate,ntlm",
                "proxy.kerberos.principal", USER + "@" + REALM, "proxy.kerberos.keytab", userKeytab.toString());
        throughProxy(kerberosLog, "krb-co", "machine-krb1", negotiate, "Negotiate", " " + USER + "@" + REALM + " ");
    }

    @Test
    void aModulesHttpsClientGoesThroughTheNtlmOnlyProxyWithoutThePassword() throws Exception {
        long before = Files.size(accessLog);
        ExtenderFixture f = ExtenderFixture.install(home.resolve("x"), cloud, "ntlm-module", "machine-ntlm5", false,
                proxy(PASSWORD, "negotiate,ntlm"));
        try (Extender x = f.start()) {
            assertTrue(x.awaitConnected(T), x.channelStatus().toString());
            OutboundProxies modules = x.moduleProxies();
            assertEquals(java.util.Optional.empty(), modules.routeFor("localhost", cloud.apiUrl().getPort())
                    .orElseThrow().password(), "NTLM only: modules never see the proxy password");
            try (ModuleHttp http = ModuleHttp.open(modules, java.util.Optional.of(cloud.certificatePem()),
                    ModuleHttp.Options.defaults())) {
                HttpAnswer a = http.send(new org.apache.hc.client5.http.classic.methods.HttpGet(
                        "https://localhost:" + cloud.apiUrl().getPort() + "/no-such-resource"));
                assertTrue(a.status() >= 200 && a.status() < 500 && a.status() != 407, "the cloud answered: " + a.status());
            }
        }
        String api = "localhost:" + cloud.apiUrl().getPort();
        List<String> lines = awaitLines(accessLog, before, api, api);
        assertTrue(lines.stream().anyMatch(l -> l.contains("TCP_TUNNEL/200") && l.contains(" CONNECT " + api + " ")
                && l.contains(" CORP\\\\" + USER + " ")), "the module's connection was tunnelled as CORP\\" + USER + ": " + lines);
    }

    @Test
    void theMegTunnelGoesThroughTheNtlmOnlyProxy() throws Exception {
        cloud.publishModule(DevPackages.built("meg"), "stable");
        long before = Files.size(accessLog);
        ExtenderFixture f = ExtenderFixture.install(home.resolve("x"), cloud, "meg-ntlm", "machine-ntlm6", false,
                proxy(PASSWORD, "negotiate,ntlm"));
        try (Extender x = f.start()) {
            assertTrue(x.awaitConnected(T), x.channelStatus().toString());
            cloud.enableMeg("meg-ntlm", Map.of("allow.hosts", "intranet.invalid", "relay.connections", "2"));
            await("two MEG tunnel connections through the NTLM proxy", () -> cloud.megConnections("meg-ntlm") == 2);
        }
        String relay = "localhost:" + cloud.megRelayPort();
        long end = System.nanoTime() + T.toNanos();
        List<String> tunnels;
        String text;
        do {
            text = Files.readString(accessLog);
            tunnels = text.substring((int) Math.min(before, text.length())).lines()
                    .filter(l -> l.contains("TCP_TUNNEL/200") && l.contains(" CONNECT " + relay + " ")
                            && l.contains(" CORP\\\\" + USER + " ")).toList();
            Thread.sleep(100);
        } while (tunnels.size() < 2 && System.nanoTime() < end);
        assertEquals(2, tunnels.size(), "both MEG connections were tunnelled as CORP\\" + USER + ": " + text);
    }

    @Test
    void aKeytabWithoutThePrincipalIsAClearStartupError() throws Exception {
        ExtenderFixture f = ExtenderFixture.install(home.resolve("x"), cloud, "krb-wrong", "machine-krb2", false,
                Map.of("proxy.host", "localhost", "proxy.port", Integer.toString(kerberosPort),
                        "proxy.authSchemes", "negotiate", "proxy.kerberos.principal", "nobody@" + REALM,
                        "proxy.kerberos.keytab", userKeytab.toString()));
        StartupException e = assertThrows(StartupException.class, f::start);
        String m = e.getMessage();
        assertTrue(m.contains("proxy localhost:" + kerberosPort + " refused CONNECT"), m);
        assertTrue(m.contains("It offers Negotiate"), m);
        assertTrue(m.contains("Negotiate (Kerberos, keytab " + userKeytab + " as nobody@" + REALM + "): "), m);
    }

    private void throughProxy(Path log, String customer, String machine, Map<String, String> proxy, String scheme,
            String who) throws Exception {
        long before = Files.size(log);
        ExtenderFixture f = ExtenderFixture.install(home.resolve("x"), cloud, customer, machine, false, proxy);
        byte[] data = new byte[2 * 1024 * 1024 + 5];
        new Random(14).nextBytes(data);
        Path file = home.resolve("snapshot.bin");
        Files.write(file, data);
        try (Extender x = f.start()) {
            assertTrue(x.awaitConnected(T), x.channelStatus().toString());
            @SuppressWarnings("unchecked")
            Map<String, Object> auth = (Map<String, Object>) x.statusReport().get("proxyAuth");
            assertEquals(scheme, auth.get("scheme"), auth.toString());
            assertEquals(proxy.get("proxy.host") + ":" + proxy.get("proxy.port"), auth.get("proxy"), auth.toString());
            cloud.enableFeature(customer, "example", Map.of("greeting", "hallo", "apiKey", "Ex4mpleK3y!"));
            await("the example module to be active", () -> x.modules().activeVersion("example").isPresent());
            CommandOutcome echo = cloud.sendToExtender(x.extenderId(), "example", "echo", "{\"text\":\"via proxy\"}",
                    Duration.ofSeconds(20)).get(40, TimeUnit.SECONDS);
            assertTrue(echo.isOk(), echo.toString());
            var receipt = x.uploader().upload(file, "snapshot.bin", "application/octet-stream");
            assertEquals(data.length, receipt.size());
            assertTrue(cloud.uploads().stream().anyMatch(u -> u.sha256().equalsIgnoreCase(receipt.sha256())),
                    "the upload arrived");
        }
        String api = "localhost:" + cloud.apiUrl().getPort();
        String xmpp = "localhost:" + cloud.directTlsPort();
        List<String> lines = awaitLines(log, before, api, xmpp);
        List<String> tunnels = lines.stream().filter(l -> l.contains("TCP_TUNNEL/200")).toList();
        assertTrue(tunnels.stream().anyMatch(l -> l.contains(" CONNECT " + xmpp + " ")), "the channel: " + lines);
        assertTrue(tunnels.stream().allMatch(l -> l.contains(who)), "every tunnel as" + who + ": " + lines);
        List<String> apiTunnels = tunnels.stream().filter(l -> l.contains(" CONNECT " + api + " ")).toList();
        long down = apiTunnels.stream().mapToLong(SquidDomainProxyIT::bytes).sum();
        long up = apiTunnels.stream().mapToLong(SquidDomainProxyIT::received).sum();
        assertTrue(down > Files.size(example), "registration and the module download (" + Files.size(example)
                + " bytes) came through squid: " + down + " bytes; " + lines);
        assertTrue(up > data.length, "the upload (" + data.length + " bytes) went through squid: " + up + " bytes; "
                + lines);
    }

    @Test
    void diagnoseShowsTheOfferedSchemesAndTestsTheChosenOne() throws Exception {
        ExtenderFixture f = ExtenderFixture.install(home.resolve("x"), cloud, "ntlm-diag", "machine-ntlm4", false,
                proxy(PASSWORD, "negotiate,ntlm"));
        DiagnoseReport r = new Diagnosis(f.config(), "machine-ntlm4", Clock.systemUTC()).run();
        Check login = r.checks().stream().filter(c -> c.name().equals("proxy authentication")).findFirst()
                .orElseThrow(() -> new AssertionError(r.text()));
        assertEquals(Check.Level.OK, login.level(), r.text());
        assertEquals("proxy 127.0.0.1:" + port + " offers NTLM; allowed (proxy.authSchemes): negotiate,ntlm; "
                + "logged in with NTLM", login.detail());

        ExtenderFixture wrong = ExtenderFixture.install(home.resolve("y"), cloud, "ntlm-diag2", "machine-ntlm5", false,
                proxy("not-the-password", "negotiate,ntlm"));
        DiagnoseReport bad = new Diagnosis(wrong.config(), "machine-ntlm5", Clock.systemUTC()).run();
        assertFalse(bad.passed());
        assertTrue(bad.text().contains("NTLM as CORP\\" + USER + ": the proxy rejected the login"), bad.text());
        assertFalse(bad.text().contains("not-the-password"), bad.text());
    }

    @Test
    void wrongPasswordIsAClearStartupErrorNamingProxyAndScheme() throws Exception {
        ExtenderFixture f = ExtenderFixture.install(home.resolve("x"), cloud, "ntlm-wrong", "machine-ntlm2", false,
                proxy("not-the-password", "negotiate,ntlm"));
        StartupException e = assertThrows(StartupException.class, f::start);
        String m = e.getMessage();
        assertTrue(m.contains("proxy 127.0.0.1:" + port + " refused CONNECT"), m);
        assertTrue(m.contains("It offers NTLM"), m);
        assertTrue(m.contains("NTLM as CORP\\" + USER + ": the proxy rejected the login"), m);
        assertTrue(m.contains("proxy.password"), m);
        assertFalse(m.contains("not-the-password"), "no secret in the message: " + m);
    }

    @Test
    void aSchemeTheAdministratorDoesNotAllowIsNotUsedAndSaidSo() throws Exception {
        long before = Files.size(accessLog);
        ExtenderFixture f = ExtenderFixture.install(home.resolve("x"), cloud, "ntlm-basic", "machine-ntlm3", false,
                proxy(PASSWORD, "basic"));
        StartupException e = assertThrows(StartupException.class, f::start);
        assertTrue(e.getMessage().contains("NTLM: not allowed (add ntlm to proxy.authSchemes"), e.getMessage());
        String text = Files.readString(accessLog);
        List<String> lines = text.substring((int) Math.min(before, text.length())).lines().toList();
        assertTrue(lines.stream().noneMatch(l -> l.contains(USER)), "nobody logged in: " + lines);
    }

    private static List<String> awaitLines(Path log, long from, String api, String xmpp) throws Exception {
        long end = System.nanoTime() + T.toNanos();
        while (true) {
            String text = Files.readString(log);
            List<String> lines = text.substring((int) Math.min(from, text.length())).lines().toList();
            boolean both = lines.stream().anyMatch(l -> l.contains("TCP_TUNNEL") && l.contains(" CONNECT " + api + " "))
                    && lines.stream().anyMatch(l -> l.contains("TCP_TUNNEL") && l.contains(" CONNECT " + xmpp + " "));
            if (both || System.nanoTime() > end) {
                return lines;
            }
            Thread.sleep(100);
        }
    }

    /** The size field of a native squid access-log line (the fifth). */
    private static long bytes(String line) {
        String[] f = line.trim().split("\\s+");
        return f.length > 4 ? Long.parseLong(f[4]) : 0;
    }

    /** The bytes the client sent: the last field of scripts/peers/squid's NTLM log format. */
    private static long received(String line) {
        String[] f = line.trim().split("\\s+");
        return Long.parseLong(f[f.length - 1]);
    }

    private static void await(String what, BooleanSupplier c) throws InterruptedException {
        long end = System.nanoTime() + T.toNanos();
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(20);
        }
    }

    private static void check(String failure, String what) {
        if (failure != null) {
            fail("cannot " + what + ": " + failure);
        }
    }

    /** Runs scripts/peers/NAME; null when it succeeded, else its output. */
    private static String run(Duration timeout, String name, String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile("peer-", ".out");
        try {
            List<String> command = new ArrayList<>(List.of(scripts.resolve(name).toString()));
            command.addAll(List.of(args));
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile()).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return "scripts/peers/" + name + " " + args[0] + " did not finish within " + timeout.toSeconds() + " s";
            }
            return p.exitValue() == 0 ? null : "exit " + p.exitValue() + ": " + Files.readString(out);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }
}
