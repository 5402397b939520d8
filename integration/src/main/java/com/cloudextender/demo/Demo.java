package com.cloudextender.demo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import com.cloudextender.core.Extender;
import com.cloudextender.devcloud.CommandOutcome;
import com.cloudextender.devcloud.DevCloud;
import com.cloudextender.devcloud.DevCloudOptions;

/**
 * The main job, end to end: starts the dev cloud and a small company directory, installs and starts an
 * extender that registers with an activation code, lets the cloud push the signed directory module to it,
 * then sends commands through the cloud (core commands, authentication pass-through, look-ups, a full sync
 * and a delta sync, and bad input), prints what came back, and stops everything. Exits 0 only when every
 * command ended as expected.
 */
public final class Demo {
    private record Step(String title, String module, String action, String args, Duration timeout,
            Predicate<CommandOutcome> expected) {
    }

    private static boolean allOk = true;

    public static void main(String[] args) throws Exception {
        Path work = Files.createTempDirectory("cloud-extender-demo");
        say("Cloud Extender demo (working folder " + work + ")");
        try (DevCloud cloud = DevCloud.start(DevCloudOptions.ephemeral(work.resolve("dev-cloud")));
                EmbeddedDirectory directory = EmbeddedDirectory.start(8)) {
            say("dev cloud up: XMPP direct TLS on localhost:" + cloud.directTlsPort() + ", API " + cloud.apiUrl());
            say("company directory up at " + directory.url() + " (" + EmbeddedDirectory.BASE + ", 8 users, 1 group)");
            for (String module : List.of("directory", "example")) {
                var entry = cloud.publishModule(DevPackages.built(module), "stable");
                say("published the signed module package " + entry.file() + " in the cloud's repository");
            }
            ExtenderFixture install = ExtenderFixture.install(work.resolve("extender"), cloud, "acme",
                    "demo-machine", false, Map.of());
            say("extender installed with an activation code for customer 'acme'");
            long t0 = System.nanoTime();
            Extender extender = install.start();
            try {
                if (!extender.awaitConnected(Duration.ofSeconds(20))) {
                    say("FAILED: the extender did not connect: " + extender.channelStatus());
                    System.exit(1);
                }
                say(String.format("extender %s registered and connected in %d ms", extender.extenderId(),
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)));
                boolean sealed = !Files.readString(install.config()).contains(
                        extender.config().activationCode().orElse("~none~"))
                        && Files.readString(install.config()).contains("activation.code=enc:v2:");
                check("activation code encrypted at rest in conf/extender.properties", sealed);

                run(cloud, extender, coreSteps());

                t0 = System.nanoTime();
                cloud.enableFeature("acme", "directory", directory.featureConfig());
                say("feature 'directory' enabled for acme in the cloud: the cloud pushes modules/install");
                boolean active = awaitModule(extender, "directory", Duration.ofSeconds(60));
                check(String.format("directory module downloaded, signature verified, started in %d ms",
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)), active);
                if (active) {
                    run(cloud, extender, directorySteps());
                    directory.changeMail("bob", "robert@corp.example");
                    directory.addUser("ivan");
                    say("in the directory: bob's mail changed, user ivan added");
                    run(cloud, extender, List.of(new Step("delta sync (only the 2 changes)", "directory", "sync", "{}",
                            Duration.ofSeconds(60), o -> o.isOk() && o.payload().contains("\"added\":1,\"modified\":1,"))));
                    String secret = EmbeddedDirectory.password("alice");
                    boolean clean = noFileContains(install.home(), secret);
                    check("alice's password appears in no file of the extender (logs, state, configuration)", clean);
                }

                long pending = waitForEmptyOutbox(extender);
                check("results waiting for acknowledgement in the extender's outbox: " + pending, pending == 0);
            } finally {
                extender.stop(Duration.ofSeconds(10));
            }
            say("extender stopped; dev cloud and directory stopping");
        }
        say(allOk ? "DEMO PASSED" : "DEMO FAILED");
        System.exit(allOk ? 0 : 1);
    }

    private static List<Step> coreSteps() {
        List<Step> steps = new ArrayList<>();
        steps.add(new Step("ping", "core", "ping", "{\"echo\":\"hello from the cloud\"}", Duration.ofSeconds(10),
                o -> o.isOk() && o.payload().contains("hello from the cloud")));
        steps.add(new Step("status", "core", "status", "{}", Duration.ofSeconds(10),
                o -> o.isOk() && o.payload().contains("\"CONNECTED\"")));
        steps.add(new Step("unknown module", "exchange", "wipe", "{}", Duration.ofSeconds(10),
                o -> "UNKNOWN_MODULE".equals(o.errorCode())));
        steps.add(new Step("unknown action", "core", "reboot", "{}", Duration.ofSeconds(10),
                o -> "UNKNOWN_ACTION".equals(o.errorCode())));
        steps.add(new Step("arguments not JSON", "core", "ping", "this is not json", Duration.ofSeconds(10),
                o -> "INVALID_ARGUMENTS".equals(o.errorCode())));
        steps.add(new Step("time limit 300 ms on a 5 s task", "core", "sleep", "{\"millis\":5000}",
                Duration.ofMillis(300), o -> "TIMEOUT".equals(o.errorCode())));
        return steps;
    }

    private static List<Step> directorySteps() {
        String alice = EmbeddedDirectory.password("alice");
        List<Step> steps = new ArrayList<>();
        steps.add(new Step("authenticate alice (right password)", "directory", "authenticate",
                "{\"username\":\"alice\",\"password\":\"" + alice + "\",\"groups\":true}", Duration.ofSeconds(20),
                o -> o.isOk() && o.payload().contains("\"authenticated\":true") && o.payload().contains("Sales")));
        steps.add(new Step("authenticate alice (wrong password)", "directory", "authenticate",
                "{\"username\":\"alice\",\"password\":\"guess\"}", Duration.ofSeconds(20),
                o -> o.isOk() && o.payload().contains("\"authenticated\":false")
                        && o.payload().contains("INVALID_CREDENTIALS")));
        steps.add(new Step("authenticate with an LDAP injection", "directory", "authenticate",
                "{\"username\":\"*)(uid=*))(|(uid=*\",\"password\":\"x\"}", Duration.ofSeconds(20),
                o -> o.isOk() && o.payload().contains("USER_NOT_FOUND")));
        steps.add(new Step("authenticate with an empty password", "directory", "authenticate",
                "{\"username\":\"alice\",\"password\":\"\"}", Duration.ofSeconds(20),
                o -> "INVALID_ARGUMENTS".equals(o.errorCode())));
        steps.add(new Step("look up bob", "directory", "lookupUser", "{\"username\":\"bob\"}", Duration.ofSeconds(20),
                o -> o.isOk() && o.payload().contains("uid=bob")));
        steps.add(new Step("members of Sales", "directory", "groupMembers", "{\"group\":\"Sales\"}",
                Duration.ofSeconds(20), o -> o.isOk() && o.payload().contains("uid=alice")));
        steps.add(new Step("OUs for the cloud's picker", "directory", "discoverOus", "{}", Duration.ofSeconds(20),
                o -> o.isOk() && o.payload().contains("ou=People")));
        steps.add(new Step("first sync: every entry, uploaded", "directory", "sync", "{}", Duration.ofSeconds(60),
                o -> o.isOk() && o.payload().contains("\"added\":11,")));
        return steps;
    }

    private static void run(DevCloud cloud, Extender x, List<Step> steps) throws Exception {
        for (Step s : steps) {
            CommandOutcome o = cloud.sendToExtender(x.extenderId(), s.module(), s.action(), s.args(), s.timeout())
                    .get(90, TimeUnit.SECONDS);
            boolean ok = s.expected().test(o);
            allOk &= ok;
            say(String.format("%-4s %-40s %-16s %5d ms  %s", ok ? "ok" : "FAIL", s.title(),
                    o.errorCode() == null ? (o.refusedCode() == null ? "result" : "refused " + o.refusedCode())
                            : o.errorCode(),
                    o.elapsedMillis(), abbreviate(o.payload())));
        }
    }

    private static boolean awaitModule(Extender x, String id, Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < end) {
            if (x.modules().activeVersion(id).isPresent()) {
                return true;
            }
            Thread.sleep(50);
        }
        say("module report: " + x.modules().report());
        return false;
    }

    private static boolean noFileContains(Path dir, String text) throws java.io.IOException {
        byte[] needle = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (var files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                String hay = new String(Files.readAllBytes(p), java.nio.charset.StandardCharsets.ISO_8859_1);
                if (hay.contains(new String(needle, java.nio.charset.StandardCharsets.ISO_8859_1))) {
                    say("found in " + p);
                    return false;
                }
            }
        }
        return true;
    }

    private static void check(String what, boolean ok) {
        allOk &= ok;
        say((ok ? "ok   " : "FAIL ") + what);
    }

    private static long waitForEmptyOutbox(Extender x) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (x.outbox().pendingCount() > 0 && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        return x.outbox().pendingCount();
    }

    private static String abbreviate(String s) {
        if (s == null) {
            return "";
        }
        String one = s.replaceAll("\\s+", " ");
        return one.length() > 110 ? one.substring(0, 110) + "…" : one;
    }

    private static void say(String s) {
        System.out.println("[demo] " + s);
    }
}
