package com.cloudextender.soak;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.cloudextender.demo.EmbeddedDirectory;
import com.cloudextender.devcloud.DevCloud;

/**
 * The soak's directory syncs: before each, an administrator's worth of changes in the embedded directory
 * (a few mail addresses changed, one person added), so that every delta sync reads and uploads something;
 * then {@code directory/sync} through the cloud, recorded in the ledger like any command.
 */
final class DirectorySyncs {
    static final String KIND = "directory/sync";
    private static final Duration SYNC_LIMIT = Duration.ofMinutes(5);
    private static final int CHANGES = 5;

    private final DevCloud cloud;
    private final String extenderId;
    private final EmbeddedDirectory directory;
    private final int users;
    private final CommandLedger ledger;
    private final AtomicInteger runs = new AtomicInteger();
    private final AtomicInteger failures = new AtomicInteger();

    DirectorySyncs(DevCloud cloud, String extenderId, EmbeddedDirectory directory, int users, CommandLedger ledger) {
        this.cloud = cloud;
        this.extenderId = extenderId;
        this.directory = directory;
        this.users = users;
        this.ledger = ledger;
    }

    /** Changes the directory, syncs, and waits for the outcome; returns it for the log. */
    CommandRecord syncOnce() throws Exception {
        int k = runs.incrementAndGet();
        for (int j = 0; j < CHANGES; j++) {
            // Past the eight named people (EmbeddedDirectory), the uids are user8, user9, …
            int user = 8 + (k * CHANGES + j) % (users - 8);
            directory.changeMail("user" + user, "user" + user + ".v" + k + "@corp.example");
        }
        directory.addUser("soak" + k);
        CommandRecord r = ledger.track(KIND, () -> cloud.sendToExtender(extenderId, "directory", "sync", "{}",
                SYNC_LIMIT)).get(SYNC_LIMIT.toMinutes() + 1, TimeUnit.MINUTES);
        if (!r.ok()) {
            failures.incrementAndGet();
        }
        return r;
    }

    int runs() {
        return runs.get();
    }

    int failures() {
        return failures.get();
    }
}
