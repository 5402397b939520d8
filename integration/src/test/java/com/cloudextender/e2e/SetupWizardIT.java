package com.cloudextender.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.cloudextender.core.Extender;
import com.cloudextender.core.cli.ExtenderMain;
import com.cloudextender.core.secret.MachineId;
import com.cloudextender.demo.EmbeddedDirectory;

/**
 * {@code extender setup} as an administrator uses it: typed into a real terminal (tmux) against a dev cloud and
 * an in-memory directory, with one wrong answer corrected; and unattended with an answers file, once
 * successfully and once per failure exit code. Then the extender starts and connects with the written files.
 */
class SetupWizardIT extends DevCloudTestBase {
    private static EmbeddedDirectory directory;

    @BeforeAll
    static void directoryUp() throws Exception {
        directory = EmbeddedDirectory.start(3);
    }

    @AfterAll
    static void directoryDown() {
        directory.close();
    }

    @Test
    void aPersonSetsUpInATerminalAndCorrectsAWrongPassword() throws Exception {
        Assumptions.tmux();
        String machine = "setup-tty-" + UUID.randomUUID();
        Path conf = install(home);
        String code = cloud.createActivationCode("acme-tty");
        String session = "cx-setup-" + UUID.randomUUID().toString().substring(0, 8);
        String command = String.join(" ", javaCommand(machine, "setup", "-c", conf.toString())) + "; echo SETUP-EXIT=$?; sleep 120";
        run("tmux", "new-session", "-d", "-s", session, "-x", "220", "-y", "50", command);
        try {
            Terminal t = new Terminal(session);
            t.answer("Cloud host name", 1, "localhost");
            t.answer("Cloud channel port", 1, Integer.toString(cloud.directTlsPort()));
            t.answer("Cloud API URL", 1, cloud.apiUrl().toString());
            t.answer("Trust store for the cloud", 1, cloud.certificatePem().toAbsolutePath().toString());
            t.answer("Activation code", 1, code);
            t.answer("Proxy host", 1, "");
            t.await("OK: the channel endpoint", 1);
            t.answer("Set up the directory connection", 1, "y");
            t.answer("Profile name", 1, "");
            t.answer("Directory type", 1, "openLdap");
            t.answer("Servers, tried in order", 1, directory.url());
            t.answer("Upgrade ldap:// with StartTLS", 1, "n");
            t.answer("Service account (DN", 1, EmbeddedDirectory.SERVICE_DN);
            t.answer("Service account password", 1, "not-the-password");
            t.await("invalid credentials", 1);
            // Corrected: Enter keeps each answer typed before; only the password is typed again.
            t.answer("Directory type", 2, "");
            t.answer("Servers, tried in order", 2, "");
            t.answer("Upgrade ldap:// with StartTLS", 2, "");
            t.answer("Service account (DN", 2, "");
            t.answer("Service account password", 2, EmbeddedDirectory.SERVICE_PASSWORD);
            t.await("accepted the service account", 1);
            t.answer("Base DN where users", 1, "1");
            t.answer("OUs whose users the cloud sees", 1, "3");
            t.answer("Test a user's login", 1, "alice");
            t.answer("Password of alice", 1, EmbeddedDirectory.password("alice"));
            t.await("OK: alice logged in", 1);
            t.answer("Write these settings", 1, "");
            t.await("SETUP-EXIT=0", 1);
            String screen = t.screen();
            for (String secret : List.of(code, EmbeddedDirectory.SERVICE_PASSWORD, "not-the-password",
                    EmbeddedDirectory.password("alice"))) {
                assertFalse(screen.contains(secret), "the terminal never shows a secret");
            }
        } finally {
            new ProcessBuilder("tmux", "kill-session", "-t", session).start().waitFor(10, TimeUnit.SECONDS);
        }

        String written = Files.readString(conf);
        assertTrue(written.contains("# --- The cloud"), "comments are kept");
        assertTrue(written.contains("commands.workers=8"), "unrelated keys are kept");
        assertTrue(written.contains("cloud.host=localhost"));
        assertTrue(written.lines().anyMatch(l -> l.startsWith("activation.code=enc:v2:")), "the code is sealed");
        String dirFile = Files.readString(home.resolve("conf/modules/directory.properties"));
        assertTrue(dirFile.contains("profile.corp.servers=" + directory.url()));
        assertTrue(dirFile.contains("profile.corp.allowPlaintext=true"), "declining StartTLS is written as accepted plaintext");
        assertTrue(dirFile.contains("profile.corp.baseDn=" + EmbeddedDirectory.BASE));
        assertTrue(dirFile.contains("sync.corp.includeOus=ou=People," + EmbeddedDirectory.BASE));
        assertTrue(dirFile.lines().anyMatch(l -> l.startsWith("profile.corp.bindPassword=enc:v2:")));
        assertNoSecretInFiles(code, EmbeddedDirectory.SERVICE_PASSWORD, EmbeddedDirectory.password("alice"));
        startsAndConnects(conf, machine);
    }

    @Test
    void answersFileSetsUpWithoutPrompts() throws Exception {
        String machine = "setup-answers-" + UUID.randomUUID();
        Path conf = install(home);
        String code = cloud.createActivationCode("acme-answers");
        Map<String, String> answers = goodAnswers(code);
        Path file = answersFile(answers);
        Result r = cli(machine, "setup", "-c", conf.toString(), "--answers", file.toString());
        assertEquals(0, r.exit, r.output);
        assertTrue(r.output.contains("Delete it now"), "the admin is told to delete the answers file");
        assertFalse(r.output.contains(code) || r.output.contains(EmbeddedDirectory.SERVICE_PASSWORD));
        assertTrue(Files.readString(conf).lines().anyMatch(l -> l.startsWith("activation.code=enc:v2:")));
        assertNoSecretInFiles(code, EmbeddedDirectory.SERVICE_PASSWORD, EmbeddedDirectory.password("bob"));

        Result diagnose = cli(machine, "diagnose", "-c", conf.toString());
        assertEquals(0, diagnose.exit, diagnose.output);
        assertTrue(diagnose.output.contains("accepted the service account"), diagnose.output);
        assertTrue(diagnose.output.contains("plain LDAP without StartTLS (profile.corp.allowPlaintext=true)"),
                diagnose.output);

        Path zip = home.resolve("bundle.zip");
        Result bundle = cli(machine, "support-bundle", "-c", conf.toString(), "-o", zip.toString());
        assertEquals(0, bundle.exit, bundle.output);
        String all = zipText(zip);
        assertTrue(all.contains("activation.code=<removed>"), "the bundle holds the configuration");
        assertFalse(java.util.regex.Pattern.compile("enc:v2:[A-Za-z0-9+/]{8,}").matcher(all).find(),
                "no sealed value in the bundle");
        for (String secret : List.of(code, EmbeddedDirectory.SERVICE_PASSWORD)) {
            assertFalse(all.contains(secret), "no secret value in the bundle: " + all.lines()
                    .filter(l -> l.contains(secret)).toList());
        }
        startsAndConnects(conf, machine);
    }

    @Test
    void theProxyStepShowsTheOfferedSchemesAndTestsTheChosenOne() throws Exception {
        String machine = "setup-proxy-" + UUID.randomUUID();
        Path conf = install(home);
        String code = cloud.createActivationCode("acme-proxy");
        try (ConnectProxy proxy = new ConnectProxy("proxy-user", "proxy-secret")) {
            Map<String, String> answers = goodAnswers(code);
            answers.put("proxy.host", "127.0.0.1");
            answers.put("proxy.port", Integer.toString(proxy.port()));
            answers.put("proxy.username", "proxy-user");
            answers.put("proxy.password", "proxy-secret");
            // The default schemes never send a password readable to the network: a Basic-only proxy is refused.
            assertExit(12, machine, conf, answers, "Basic");
            answers.put("proxy.authSchemes", "basic");
            Result r = cli(machine, "setup", "-c", conf.toString(), "--answers", answersFile(answers).toString());
            assertEquals(0, r.exit, r.output);
            assertTrue(r.output.contains("the proxy 127.0.0.1:" + proxy.port() + " offers Basic")
                    && r.output.contains("allowed (proxy.authSchemes): basic; logged in with Basic"), r.output);
            assertTrue(Files.readString(conf).lines().anyMatch(l -> l.equals("proxy.authSchemes=basic")),
                    "the chosen schemes are written");
            assertTrue(proxy.tunnels.size() >= 2, "the API and the channel endpoint were tested through the proxy: "
                    + proxy.tunnels);
        }
        assertNoSecretInFiles(code, "proxy-secret");
    }

    @Test
    void eachFailureHasItsExitCodeAndWritesNothing() throws Exception {
        String machine = "setup-fail-" + UUID.randomUUID();
        Path conf = install(home);
        byte[] before = Files.readAllBytes(conf);
        String code = cloud.createActivationCode("acme-fail");

        Map<String, String> unknown = goodAnswers(code);
        unknown.put("cloud.hots", "localhost");
        assertExit(10, machine, conf, unknown, "unknown key");

        Map<String, String> unreachable = goodAnswers(code);
        unreachable.put("cloud.apiUrl", "https://localhost:1");
        assertExit(11, machine, conf, unreachable, "cannot connect");

        try (ConnectProxy proxy = new ConnectProxy("proxy-user", "proxy-secret")) {
            Map<String, String> refused = goodAnswers(code);
            refused.put("proxy.host", "127.0.0.1");
            refused.put("proxy.port", Integer.toString(proxy.port()));
            refused.put("proxy.username", "proxy-user");
            refused.put("proxy.password", "wrong-secret");
            assertExit(12, machine, conf, refused, "407");
        }

        Map<String, String> untrusted = goodAnswers(code);
        untrusted.put("cloud.trustStore", repo().resolve("modules/dev-signing/dev-publisher.pem").toString());
        assertExit(13, machine, conf, untrusted, "not signed by an authority");

        Map<String, String> badBind = goodAnswers(code);
        badBind.put("directory.bindPassword", "not-the-password");
        assertExit(14, machine, conf, badBind, "invalid credentials");

        Map<String, String> badUser = goodAnswers(code);
        badUser.put("directory.testPassword", "not-bobs-password");
        assertExit(15, machine, conf, badUser, "refused the password");

        assertEquals(new String(before, StandardCharsets.UTF_8), Files.readString(conf), "nothing was written");
        assertFalse(Files.exists(home.resolve("conf/modules/directory.properties")));
    }

    private void assertExit(int expected, String machine, Path conf, Map<String, String> answers, String message)
            throws Exception {
        Result r = cli(machine, "setup", "-c", conf.toString(), "--answers", answersFile(answers).toString());
        assertEquals(expected, r.exit, r.output);
        assertTrue(r.output.contains(message), "the failure is explained: " + r.output);
    }

    private Map<String, String> goodAnswers(String code) {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("cloud.host", "localhost");
        a.put("cloud.port", Integer.toString(cloud.directTlsPort()));
        a.put("cloud.apiUrl", cloud.apiUrl().toString());
        a.put("cloud.trustStore", cloud.certificatePem().toAbsolutePath().toString());
        a.put("activation.code", code);
        a.put("proxy.host", "none");
        a.put("directory.type", "openLdap");
        a.put("directory.servers", directory.url());
        a.put("directory.startTls", "false");
        a.put("directory.bindDn", EmbeddedDirectory.SERVICE_DN);
        a.put("directory.bindPassword", EmbeddedDirectory.SERVICE_PASSWORD);
        a.put("directory.testUser", "bob");
        a.put("directory.testPassword", EmbeddedDirectory.password("bob"));
        return a;
    }

    private Path answersFile(Map<String, String> answers) throws IOException {
        StringBuilder b = new StringBuilder();
        answers.forEach((k, v) -> b.append(k).append('=').append(v.replace("\\", "\\\\")).append('\n'));
        Path f = Files.createTempFile(home, "answers", ".properties");
        Files.writeString(f, b);
        return f;
    }

    private void startsAndConnects(Path conf, String machine) throws Exception {
        Extender x = Extender.start(conf, machine, Clock.systemUTC());
        try {
            assertTrue(x.awaitConnected(T), "the extender connects with the written settings");
            assertTrue(cloud.awaitConnected(x.extenderId(), T), "the cloud sees it connected");
        } finally {
            x.stop(Duration.ofSeconds(2));
        }
    }

    private void assertNoSecretInFiles(String... secrets) throws IOException {
        try (Stream<Path> files = Files.walk(home)) {
            for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith("answers"))::iterator) {
                String text = new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
                for (String s : secrets) {
                    assertFalse(text.contains(s), p + " holds a secret in clear");
                }
            }
        }
    }

    /** The repository's documented conf/ copied, as in the archive. */
    private static Path install(Path home) throws IOException {
        Path conf = home.resolve("conf/extender.properties");
        Files.createDirectories(conf.getParent());
        String text = Files.readString(repo().resolve("conf/extender.properties"))
                .replace("modules.publishers=conf/publishers", "modules.publishers="
                        + repo().resolve("modules/dev-signing/dev-publisher.pem").toAbsolutePath()
                        + "\nmodules.allowDevelopmentPublisher=true")
                .replace("reconnect.initialDelay=1s", "reconnect.initialDelay=200ms");
        Files.writeString(conf, text);
        return conf;
    }

    private static Path repo() {
        Path here = Path.of("").toAbsolutePath();
        return Files.exists(here.resolve("conf/extender.properties")) ? here : here.getParent();
    }

    private static List<String> javaCommand(String machine, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-D" + MachineId.OVERRIDE_PROPERTY + "=" + machine, "-cp", System.getProperty("java.class.path"),
                ExtenderMain.class.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private record Result(int exit, String output) {
    }

    private static Result cli(String machine, String... args) throws Exception {
        Process p = new ProcessBuilder(javaCommand(machine, args)).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the command ends");
        return new Result(p.exitValue(), out);
    }

    private static String zipText(Path zip) throws IOException {
        StringBuilder all = new StringBuilder();
        try (java.util.zip.ZipInputStream in = new java.util.zip.ZipInputStream(Files.newInputStream(zip))) {
            for (java.util.zip.ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                assertFalse(e.getName().contains("keys") || e.getName().endsWith(".mv.db") || e.getName().endsWith(".cxm"),
                        "never the key folder, the store or packages: " + e.getName());
                all.append("== ").append(e.getName()).append('\n').append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return all.toString();
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", cmd) + ": " + out);
    }

    /** tmux is installed by scripts/peers/tmux; without it (and without root to install it) the test is skipped. */
    private static final class Assumptions {
        static void tmux() throws Exception {
            boolean present = new ProcessBuilder("sh", "-c", "command -v tmux").start().waitFor() == 0;
            org.junit.jupiter.api.Assumptions.assumeTrue(present, "tmux is not installed (scripts/peers/tmux install)");
        }
    }

    /** Types into a tmux pane and reads it back, as a person would. */
    private static final class Terminal {
        private final String session;

        Terminal(String session) {
            this.session = session;
        }

        /** Waits for the {@code n}th appearance of {@code prompt}, then types {@code text} and Enter. */
        void answer(String prompt, int n, String text) throws Exception {
            await(prompt, n);
            Thread.sleep(150); // the prompt is printed before the terminal is switched to reading
            if (!text.isEmpty()) {
                run("tmux", "send-keys", "-t", session, "-l", text);
            }
            run("tmux", "send-keys", "-t", session, "Enter");
        }

        void await(String text, int n) throws Exception {
            long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            String screen = "";
            while (System.nanoTime() < end) {
                screen = screen();
                if (count(screen, text) >= n) {
                    return;
                }
                Thread.sleep(100);
            }
            throw new AssertionError("the terminal did not show '" + text + "' (" + n + "x); it shows:\n" + screen);
        }

        String screen() throws Exception {
            Process p = new ProcessBuilder("tmux", "capture-pane", "-p", "-J", "-S", "-", "-t", session)
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            return out;
        }

        private static int count(String haystack, String needle) {
            int n = 0;
            for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + needle.length())) {
                n++;
            }
            return n;
        }
    }
}
