package com.cloudextender.modules.exchange.onprem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudextender.modules.exchange.cmdlet.AddRemove;
import com.cloudextender.modules.exchange.cmdlet.Cmdlet;
import com.cloudextender.modules.exchange.cmdlet.CmdletCall;
import com.cloudextender.modules.exchange.cmdlet.ExchangeException;
import com.cloudextender.modules.exchange.cmdlet.ExchangeException.Reason;
import com.cloudextender.modules.exchange.devices.DeviceActions;
import com.cloudextender.modules.exchange.testing.FakeExchangeHost;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The on-premises backend's Java side against a stand-in host process ({@link FakeExchangeHost}) that
 * speaks the line protocol and keeps an Exchange in memory: one process for many requests, typed
 * values, hostile strings arriving as inert data, crash and hang restarts, the bounded queue, micro
 * delays and Exchange 2010 naming.
 */
class PowerShellHostTest {
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;
    PowerShellHost host;
    OnPremisesBackend backend;

    OnPremisesBackend start(String version, Duration timeout, int queue, String uri) {
        ObjectNode init = JSON.createObjectNode().put("type", "init").put("connectionUri", uri)
                .put("authentication", "Kerberos").put("username", "CORP\\svc-extender").put("password", "S3cret!pass");
        host = new PowerShellHost(FakeExchangeHost.command(dir.resolve("journal.txt"), version), init,
                dir.resolve("host.err"), timeout, Duration.ofSeconds(30), queue);
        backend = new OnPremisesBackend(host);
        return backend;
    }

    OnPremisesBackend start(String version) {
        return start(version, Duration.ofSeconds(20), 10, "http://exch01.corp.example/PowerShell/");
    }

    @AfterEach
    void stop() {
        if (backend != null) {
            backend.close();
        }
    }

    List<JsonNode> journal() throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String l : Files.readAllLines(dir.resolve("journal.txt"), StandardCharsets.UTF_8)) {
            out.add(JSON.readTree(l));
        }
        return out;
    }

    @Test
    void oneLongLivedProcessAnswersManyRequestsWithTheVersionsCmdletNames() throws Exception {
        OnPremisesBackend b = start("15.2.1118.7");
        assertEquals("Exchange 2019", b.version().product());
        long pid = host.pid();
        for (int i = 0; i < 20; i++) {
            assertEquals(2, b.invoke(CmdletCall.of(Cmdlet.GET_MOBILE_DEVICE, "ResultSize", CmdletCall.Unlimited.UNLIMITED))
                    .objects().size());
        }
        assertEquals(pid, host.pid(), "the same process served every request");
        assertEquals(1, host.counters().get("hostStarts").asInt());
        JsonNode first = journal().get(0);
        assertEquals("Get-MobileDevice", first.get("cmdlet").asText());
        assertEquals("unlimited", first.at("/parameters/ResultSize/type").asText());
    }

    @Test
    void exchange2010GetsTheActiveSyncDeviceNamesAndNoAccountOnlyWipe() throws Exception {
        OnPremisesBackend b = start("14.3.123.4");
        assertTrue(b.version().isExchange2010());
        ExchangeException e = assertThrows(ExchangeException.class,
                () -> new DeviceActions(b).wipe("ApplF17XQ0ABC", Optional.empty(), true, false));
        assertEquals(Reason.UNSUPPORTED, e.reason());
        ObjectNode wiped = new DeviceActions(b).wipe("ApplF17XQ0ABC", Optional.empty(), false, false);
        assertEquals("DeviceWipePending", wiped.at("/device/statistics/status").asText());
        List<String> cmdlets = journal().stream().map(j -> j.get("cmdlet").asText()).toList();
        assertTrue(cmdlets.contains("Get-ActiveSyncDevice") && cmdlets.contains("Clear-ActiveSyncDevice")
                && cmdlets.contains("Get-ActiveSyncDeviceStatistics"), cmdlets.toString());
        assertTrue(cmdlets.stream().noneMatch(c -> c.contains("MobileDevice")), cmdlets.toString());
    }

    @Test
    void hostileStringsArriveAsInertDataOrAreRefusedByValidation() throws Exception {
        OnPremisesBackend b = start("15.1.2507.6");
        List<String> hostile = List.of("x'; Remove-Mailbox *; '", "$(Remove-Mailbox -Identity * -Confirm:$false)",
                "`$env:PATH`n", "alice\nRemove-Mailbox *", "\"; exit; \"", "@{Add='x'}");
        for (String h : hostile) {
            ExchangeException e = assertThrows(ExchangeException.class,
                    () -> b.invoke(CmdletCall.of(Cmdlet.GET_CAS_MAILBOX, "Identity", h)));
            assertEquals(Reason.NOT_FOUND, e.reason(), "looked up as a name, nothing else: " + e.getMessage());
            assertTrue(e.getMessage().contains("'" + h + "' couldn't be found"), e.getMessage());
        }
        b.invoke(CmdletCall.of(Cmdlet.SET_CAS_MAILBOX, "Identity", "alice",
                "ActiveSyncBlockedDeviceIDs", new AddRemove(List.of(hostile.get(0)), List.of())));
        List<JsonNode> j = journal();
        for (int i = 0; i < hostile.size(); i++) {
            JsonNode p = j.get(i).at("/parameters/Identity");
            assertEquals("string", p.get("type").asText());
            assertEquals(hostile.get(i), p.get("value").asText(), "the value travelled unchanged, as data");
        }
        assertEquals(hostile.get(0), j.get(hostile.size()).at("/parameters/ActiveSyncBlockedDeviceIDs/value/add/0").asText());
        // Every mailbox is still there: nothing was run.
        assertEquals(3, b.invoke(CmdletCall.of(Cmdlet.GET_CAS_MAILBOX, "ResultSize", CmdletCall.Unlimited.UNLIMITED))
                .objects().size());
        // A DeviceId that is not one is refused before anything is sent.
        int before = journal().size();
        ExchangeException refused = assertThrows(ExchangeException.class,
                () -> new DeviceActions(b).block("x' -or 1 -eq 1 -or '", Optional.empty()));
        assertEquals(Reason.INVALID_PARAMETER, refused.reason());
        assertEquals(before, journal().size());
        // Every line is one JSON object: a newline in a value never splits a request.
        assertTrue(Files.readAllLines(dir.resolve("journal.txt")).stream().allMatch(l -> l.startsWith("{\"type\":\"request\"")));
    }

    @Test
    void aCrashedHostIsReplacedAndAReadIsRetriedOnce() throws Exception {
        OnPremisesBackend b = start("15.2.1118.7");
        long first = b.version() != null ? host.pid() : -1;
        // A change is not retried: whether it happened is for the read-back to find.
        ExchangeException e = assertThrows(ExchangeException.class,
                () -> b.invoke(CmdletCall.of(Cmdlet.SET_CAS_MAILBOX, "Identity", "crash-now")));
        assertEquals(Reason.UNREACHABLE, e.reason());
        assertTrue(e.getMessage().contains("exited (code 3)"), e.getMessage());
        assertEquals(2, b.invoke(CmdletCall.of(Cmdlet.GET_MOBILE_DEVICE)).objects().size());
        assertNotEquals(first, host.pid());
        assertEquals(2, host.counters().get("hostStarts").asInt());
        assertEquals(1, host.counters().get("hostCrashes").asInt());
    }

    @Test
    void aHungHostIsKilledAtTheTimeLimitAndReplaced() throws Exception {
        OnPremisesBackend b = start("15.2.1118.7", Duration.ofMillis(1500), 10, "http://exch01.corp.example/PowerShell/");
        b.version();
        long first = host.pid();
        long t0 = System.nanoTime();
        ExchangeException e = assertThrows(ExchangeException.class,
                () -> b.invoke(CmdletCall.of(Cmdlet.SET_CAS_MAILBOX, "Identity", "hang-now")));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(Reason.TIMEOUT, e.reason());
        assertTrue(ms >= 1400 && ms < 10_000, "stopped at the limit: " + ms + " ms");
        assertEquals(1, host.counters().get("hostHangs").asInt());
        assertEquals(2, b.invoke(CmdletCall.of(Cmdlet.GET_MOBILE_DEVICE)).objects().size());
        assertNotEquals(first, host.pid());
    }

    @Test
    void requestsBeyondTheQueueAreRefusedAndTheRestRunOneAtATime() throws Exception {
        OnPremisesBackend b = start("15.2.1118.7", Duration.ofMillis(2500), 1, "http://exch01.corp.example/PowerShell/");
        b.version();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            CountDownLatch go = new CountDownLatch(1);
            Future<?> hanging = pool.submit(() -> {
                go.countDown();
                return assertThrows(ExchangeException.class,
                        () -> b.invoke(CmdletCall.of(Cmdlet.SET_CAS_MAILBOX, "Identity", "hang-now")));
            });
            go.await();
            Thread.sleep(300);
            Future<?> waiting = pool.submit(() -> b.invoke(CmdletCall.of(Cmdlet.GET_MOBILE_DEVICE)));
            Thread.sleep(300);
            ExchangeException busy = assertThrows(ExchangeException.class, () -> b.invoke(CmdletCall.of(Cmdlet.GET_MOBILE_DEVICE)));
            assertEquals(Reason.BUSY, busy.reason());
            hanging.get();
            waiting.get(); // ran after the hung request was stopped, on a new host
            assertEquals(1, host.counters().get("queueFullRefusals").asInt());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void typedErrorsMicroDelaysAndARefusedSession() throws Exception {
        OnPremisesBackend b = start("15.2.1118.7");
        b.invoke(CmdletCall.of(Cmdlet.GET_CAS_MAILBOX, "Identity", "slowdown"));
        long t0 = System.nanoTime();
        b.invoke(CmdletCall.of(Cmdlet.GET_ACTIVESYNC_ORGANIZATION_SETTINGS));
        assertTrue((System.nanoTime() - t0) / 1_000_000 >= 250, "the next request waited out the micro delay");
        assertEquals(1, b.throttling().get("microDelayWarnings").asInt());
        ExchangeException level = assertThrows(ExchangeException.class,
                () -> b.invoke(CmdletCall.of(Cmdlet.SET_ACTIVESYNC_ORGANIZATION_SETTINGS, "DefaultAccessLevel", "Sometimes")));
        assertEquals(Reason.INVALID_PARAMETER, level.reason());
        backend.close();

        OnPremisesBackend refused = start("15.2.1118.7", Duration.ofSeconds(5), 5, "http://refuse.corp.example/PowerShell/");
        ExchangeException auth = assertThrows(ExchangeException.class, refused::checkAuthentication);
        assertEquals(Reason.AUTHENTICATION, auth.reason());
        assertTrue(auth.getMessage().contains("Access is denied"), auth.getMessage());
    }
}
