package com.cloudextender.modules.directory.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudextender.api.ModuleConfig;
import com.cloudextender.modules.directory.config.DirectoryConfig;
import com.cloudextender.modules.directory.connect.ProfileConnections;
import com.cloudextender.modules.directory.testing.TestContexts;
import com.cloudextender.modules.directory.testing.TestDirectory;
import com.cloudextender.modules.testkit.FakeModuleContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyncWarmUpTest {
    @TempDir
    Path dir;
    TestDirectory ldap;
    ProfileConnections connections;
    DirectoryConfig config;

    @BeforeEach
    void setUp() throws Exception {
        ldap = new TestDirectory().withSampleData();
        Map<String, String> c = new HashMap<>(ldap.config(Map.of()));
        c.put("sync.profiles", "corp");
        c.put("sync.corp.excludeOus", "ou=Service," + TestDirectory.BASE);
        config = DirectoryConfig.read(new ModuleConfig(c, TestDirectory.secrets()));
        connections = ProfileConnections.open(config.profile("corp").orElseThrow());
    }

    @AfterEach
    void tearDown() {
        connections.close();
        ldap.close();
    }

    private SyncQuery query() {
        return SyncQuery.of(connections.profile(), config.sync().profiles().get("corp"), 100);
    }

    @Test
    void encodesEachCopyAsANewEntryFromThreeSmallSearchesAndLeavesNoFile() throws Exception {
        int searchesBefore = ldap.searches.get();
        Path work = dir.resolve("warm-up");

        long encoded = SyncWarmUp.run(connections, query(), work, 5000, 8 << 20, () -> false);

        // At least the minimum rounds of 10,000 copies, each a new entry: copies under the sample's own ids
        // would be counted once each.
        assertTrue(encoded >= 50_000, "copies encoded as new entries: " + encoded);
        assertEquals(3, ldap.searches.get() - searchesBefore, "the sample's searches only, nothing per copy");
        assertFalse(Files.exists(work), "the discarded chunks and their folder are deleted");
    }

    @Test
    void samplesUsersAndOusTenTimesAsOftenAsGroupsAndLeavesOutBigGroups() throws Exception {
        String[] many = new String[2_001];
        for (int i = 0; i < many.length; i++) {
            many[i] = "cn=u" + i + ",ou=Staff," + TestDirectory.BASE;
        }
        ldap.server.add(TestDirectory.group("Everyone", "ou=Staff", many));

        Map<String, Long> times = SyncWarmUp.sample(connections, query()).stream()
                .collect(Collectors.groupingBy(e -> e.getDN(), Collectors.counting()));

        String staff = "ou=Staff," + TestDirectory.BASE;
        assertEquals(Map.of("cn=alice," + staff, 10L, "cn=bob," + staff, 10L,
                "cn=carol,ou=Lab," + TestDirectory.BASE, 10L, "cn=Admins," + staff, 1L,
                staff, 10L, "ou=Lab," + TestDirectory.BASE, 10L), times, "the service OU is out of scope");
    }

    @Test
    void aDirectoryThatDoesNotAnswerTheSampleDoesNotHoldUpTheModulesStop() throws Exception {
        CountDownLatch hold = new CountDownLatch(1);
        ldap.holdSizeLimitedSearches = hold;
        try {
            FakeModuleContext context = TestContexts.create(Map.of("profiles", "corp"), Set.of(), dir);
            DirectorySync sync = new DirectorySync(config.sync(), List.of(connections), context);
            sync.warmUpFirstRuns();
            long end = System.nanoTime() + 10_000_000_000L;
            while (ldap.heldSearches.get() == 0) {
                assertTrue(System.nanoTime() < end, "the warm-up's sample search did not reach the directory");
                Thread.sleep(10);
            }

            long t0 = System.nanoTime();
            sync.stopWarmUp();
            long ms = (System.nanoTime() - t0) / 1_000_000;

            assertTrue(ms < 8_000, "stopping the warm-up took " + ms + " ms");
        } finally {
            hold.countDown();
        }
    }

    @Test
    void endsAtOnceWhenToldTo() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        Path work = dir.resolve("warm-up");

        long encoded = SyncWarmUp.run(connections, query(), work, 5000, 8 << 20, () -> asked.incrementAndGet() > 500);

        assertTrue(encoded < 600, "copies after the stop: " + encoded);
        assertFalse(Files.exists(work));
    }

    @Test
    void warmsUpOnlyProfilesWhoseNextSyncIsTheirFirstAndNotWhenSwitchedOff() throws Exception {
        FakeModuleContext context = TestContexts.create(Map.of("profiles", "corp"), Set.of(), dir);
        DirectorySync sync = new DirectorySync(config.sync(), List.of(connections), context);
        assertEquals(List.of("corp"), sync.warmUpFirstRuns(), "no baseline yet");

        sync.run(true, Set.of("corp")); // ends the warm-up and leaves a baseline
        sync.stopWarmUp();
        Path leftOver = Files.createDirectories(context.workDir().resolve("sync-warm-up"));
        Files.write(leftOver.resolve("warm-up-1.jsonl.gz"), new byte[] {1, 2, 3}); // as a crash during one would
        assertEquals(List.of(), sync.warmUpFirstRuns(), "the profile has a baseline");
        assertFalse(Files.exists(leftOver), "an earlier warm-up's chunks are deleted at start");

        Map<String, String> c = new HashMap<>(ldap.config(Map.of()));
        c.put("sync.profiles", "corp");
        c.put("sync.warmUp", "false");
        DirectoryConfig off = DirectoryConfig.read(new ModuleConfig(c, TestDirectory.secrets()));
        FakeModuleContext fresh = TestContexts.create(Map.of("profiles", "corp"), Set.of(), dir.resolve("fresh"));
        assertEquals(List.of(), new DirectorySync(off.sync(), List.of(connections), fresh).warmUpFirstRuns());
    }
}
