package com.cloudextender.core.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.packet.StanzaError;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.cloudextender.api.ModuleScheduler;
import com.cloudextender.core.protocol.LeaseIq;

class LeaseKeeperTest {
    private static final long MS = 1_000_000L;

    private final AtomicLong now = new AtomicLong(1_000 * MS);
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final List<LeaseIq> requests = new CopyOnWriteArrayList<>();
    private volatile Function<LeaseIq, CompletableFuture<LeaseIq>> cloud;
    private LeaseKeeper keeper;

    @AfterEach
    void stop() {
        if (keeper != null) {
            keeper.close();
        }
        timer.shutdownNow();
    }

    private LeaseKeeper keeper(Duration term) {
        keeper = new LeaseKeeper(r -> {
            requests.add(r);
            return cloud.apply(r);
        }, timer, false, now::get, term);
        return keeper;
    }

    private static CompletableFuture<LeaseIq> held(long generation, long termMillis) {
        return CompletableFuture.completedFuture(answer(LeaseIq.HELD, generation, termMillis, null, 0));
    }

    private static LeaseIq answer(String state, long generation, long termMillis, String holder, long retryMillis) {
        return LeaseIq.answer(LeaseIq.request("directory.sync", LeaseIq.ACQUIRE, 0), "directory.sync", state,
                generation, termMillis, holder, retryMillis);
    }

    @Test
    void workStartedJustAfterTheClaimWaitsForTheCloudsFirstAnswer() throws Exception {
        CompletableFuture<LeaseIq> pending = new CompletableFuture<>();
        cloud = r -> requests.size() == 1 ? pending : new CompletableFuture<>();
        LeaseKeeper.Claim claim = keeper(Duration.ofSeconds(10)).claim("directory.sync", () -> { });
        await(() -> requests.size() == 1);
        assertNull(claim.current(), "no answer yet: not held");
        assertNull(claim.current(50), "no answer within the wait: not held");
        timer.schedule(() -> pending.complete(answer(LeaseIq.HELD, 3, 10_000, null, 0)), 200, TimeUnit.MILLISECONDS);
        ModuleScheduler.Lease lease = claim.current(5_000);
        assertNotNull(lease, "the answer came within the wait");
        assertEquals(3, lease.generation());
    }

    @Test
    void aGrantedLeaseIsHeldUntilItsTermMinusTheMarginCountedFromTheSendingOfTheRequest() throws Exception {
        // The answer arrives 2 s after the request was sent: the term still counts from the sending.
        cloud = r -> {
            CompletableFuture<LeaseIq> answer = held(4, 10_000);
            now.addAndGet(2_000 * MS);
            return answer;
        };
        AtomicInteger gained = new AtomicInteger();
        LeaseKeeper.Claim claim = keeper(Duration.ofSeconds(10)).claim("directory.sync", gained::incrementAndGet);
        await(() -> gained.get() == 1);
        cloud = r -> new CompletableFuture<>(); // no more answers: the renewal is never confirmed
        ModuleScheduler.Lease lease = claim.current();
        assertNotNull(lease);
        assertEquals(4, lease.generation());
        assertEquals("directory.sync", lease.name());
        // sent at 1,000 ms; term 10,000 ms; margin 2,000 ms: held until 9,000 ms.
        now.set(8_999 * MS);
        assertTrue(lease.held());
        now.set(9_000 * MS);
        assertFalse(lease.held(), "lost at the local expiry: term minus margin from the send");
        assertNull(claim.current());
        assertFalse(keeper.status().get(0).held());
    }

    @Test
    void aRenewalIsSentAtAThirdOfTheTermAndKeepsTheLeaseHeld() throws Exception {
        cloud = r -> held(1, 900);
        LeaseKeeper.Claim claim = keeper(Duration.ofMillis(900)).claim("directory.sync", () -> { });
        await(() -> claim.current() != null);
        // The real clock drives the timer; the monotonic clock moves with it.
        long start = System.nanoTime();
        Thread realTime = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                now.set(1_000 * MS + (System.nanoTime() - start));
                Thread.onSpinWait();
            }
        });
        realTime.start();
        try {
            ModuleScheduler.Lease lease = claim.current();
            Thread.sleep(2_000);
            assertTrue(requests.size() >= 5, "renewed about every 300 ms: " + requests.size() + " requests");
            assertTrue(lease.held(), "still held: each renewal was confirmed");
            assertTrue(requests.stream().allMatch(r -> LeaseIq.ACQUIRE.equals(r.op())));
        } finally {
            realTime.interrupt();
            realTime.join();
        }
    }

    @Test
    void aLeaseHeldByAnotherExtenderIsNotHeldAndItsHolderIsReported() throws Exception {
        cloud = r -> CompletableFuture.completedFuture(answer(LeaseIq.TAKEN, 3, 15_000, "ext-2", 4_000));
        LeaseKeeper.Claim claim = keeper(Duration.ofSeconds(15)).claim("directory.sync", () -> { });
        await(() -> !requests.isEmpty() && keeper.status().get(0).holder() != null);
        assertNull(claim.current());
        LeaseStatus s = keeper.status().get(0);
        assertEquals("ext-2", s.holder());
        assertFalse(s.held());
        assertTrue(s.fenced());
    }

    @Test
    void aNewGenerationEndsTheRunsOfTheOldOne() throws Exception {
        AtomicLong generation = new AtomicLong(1);
        cloud = r -> held(generation.get(), 900);
        AtomicInteger gained = new AtomicInteger();
        LeaseKeeper.Claim claim = keeper(Duration.ofMillis(900)).claim("directory.sync", gained::incrementAndGet);
        await(() -> gained.get() == 1);
        ModuleScheduler.Lease old = claim.current();
        // The lease lapsed here and the cloud granted it anew: another extender may have held it between.
        generation.set(2);
        now.addAndGet(2_000 * MS);
        await(() -> gained.get() == 2);
        assertFalse(old.held(), "a run of generation 1 must stop");
        assertEquals(2, claim.current().generation());
    }

    @Test
    void aCloudWithoutLeasesLetsTheWorkRunUnfenced() throws Exception {
        cloud = r -> CompletableFuture.failedFuture(new XMPPException.XMPPErrorException(null,
                StanzaError.getBuilder(StanzaError.Condition.feature_not_implemented).build()));
        AtomicInteger gained = new AtomicInteger();
        LeaseKeeper.Claim claim = keeper(Duration.ofSeconds(15)).claim("directory.sync", gained::incrementAndGet);
        await(() -> gained.get() == 1);
        ModuleScheduler.Lease lease = claim.current();
        assertEquals(0, lease.generation());
        assertTrue(lease.held());
        assertFalse(keeper.status().get(0).fenced());
        assertEquals(1, requests.size(), "asked once; asked again only after " + LeaseKeeper.UNSUPPORTED_RECHECK_MILLIS
                + " ms");
    }

    @Test
    void whileTheChannelIsDownTheLeaseLapsesAtItsLocalExpiry() throws Exception {
        cloud = r -> held(7, 3_000);
        AtomicInteger gained = new AtomicInteger();
        LeaseKeeper.Claim claim = keeper(Duration.ofSeconds(3)).claim("directory.sync", gained::incrementAndGet);
        await(() -> gained.get() == 1);
        ModuleScheduler.Lease lease = claim.current();
        cloud = r -> CompletableFuture.failedFuture(new org.jivesoftware.smack.SmackException.NotConnectedException());
        now.addAndGet(2_399 * MS);
        assertTrue(lease.held());
        now.addAndGet(1 * MS);
        assertFalse(lease.held());
    }

    @Test
    void closingTheLastClaimGivesTheLeaseBack() throws Exception {
        cloud = r -> held(5, 15_000);
        LeaseKeeper k = keeper(Duration.ofSeconds(15));
        LeaseKeeper.Claim first = k.claim("directory.sync", () -> { });
        LeaseKeeper.Claim second = k.claim("directory.sync", () -> { });
        await(() -> first.current() != null);
        first.close();
        assertTrue(requests.stream().noneMatch(r -> LeaseIq.RELEASE.equals(r.op())), "still wanted by the other claim");
        second.close();
        assertTrue(requests.stream().anyMatch(r -> LeaseIq.RELEASE.equals(r.op())));
        assertTrue(k.status().isEmpty());
    }

    @Test
    void aLeaseNameWithOtherCharactersIsRefusedWithItsName() {
        cloud = r -> held(1, 15_000);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> keeper(Duration.ofSeconds(15)).claim("directory sync", () -> { }));
        assertTrue(e.getMessage().contains("'directory sync'"), e.getMessage());
    }

    private static void await(BooleanSupplier c) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out");
            }
            Thread.sleep(5);
        }
    }

}
