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
 * The main job, end to end: starts the dev cloud, installs and starts an extender that registers with
 * an activation code, sends it commands through the cloud's console API, prints what came back, and
 * stops everything. Exits 0 only when every command ended as expected.
 */
public final class Demo {
    private record Step(String title, String module, String action, String args, Duration timeout,
            Predicate<CommandOutcome> expected) {
    }

    public static void main(String[] args) throws Exception {
        Path work = Files.createTempDirectory("cloud-extender-demo");
        boolean allOk = true;
        say("Cloud Extender demo (working folder " + work + ")");
        try (DevCloud cloud = DevCloud.start(DevCloudOptions.ephemeral(work.resolve("dev-cloud")))) {
            say("dev cloud up: XMPP direct TLS on localhost:" + cloud.directTlsPort() + ", API " + cloud.apiUrl());
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
                        && Files.readString(install.config()).contains("activation.code=enc:v1:");
                say("activation code encrypted at rest in conf/extender.properties: " + (sealed ? "yes" : "NO"));
                allOk &= sealed;

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
                for (Step s : steps) {
                    CommandOutcome o = cloud.sendToExtender(extender.extenderId(), s.module(), s.action(), s.args(),
                            s.timeout()).get(30, TimeUnit.SECONDS);
                    boolean ok = s.expected().test(o);
                    allOk &= ok;
                    say(String.format("%-4s %-34s %-16s %5d ms  %s", ok ? "ok" : "FAIL", s.title(),
                            o.errorCode() == null ? (o.refusedCode() == null ? "result" : "refused " + o.refusedCode())
                                    : o.errorCode(),
                            o.elapsedMillis(), abbreviate(o.payload())));
                }
                long pending = waitForEmptyOutbox(extender);
                say("results waiting for acknowledgement in the extender's outbox: " + pending);
                allOk &= pending == 0;
            } finally {
                extender.stop(Duration.ofSeconds(10));
            }
            say("extender stopped; dev cloud stopping");
        }
        say(allOk ? "DEMO PASSED" : "DEMO FAILED");
        System.exit(allOk ? 0 : 1);
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
