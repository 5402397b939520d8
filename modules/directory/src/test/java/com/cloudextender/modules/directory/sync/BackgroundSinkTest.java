package com.cloudextender.modules.directory.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.SearchResultEntry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BackgroundSinkTest {
    private static SearchResultEntry entry(String uid) {
        return new SearchResultEntry(new Entry("uid=" + uid + ",dc=example,dc=test", new Attribute("uid", uid)));
    }

    /** Records what it receives, and on which thread. */
    private static final class Recording implements ChangeSink {
        final List<String> seen = new ArrayList<>();
        final List<Thread> threads = new ArrayList<>();

        @Override
        public void entry(SearchResultEntry entry) {
            seen.add("entry " + entry.getDN());
            threads.add(Thread.currentThread());
        }

        @Override
        public void present(String id) {
            seen.add("present " + id);
        }

        @Override
        public void deleted(String id) {
            seen.add("deleted " + id);
        }
    }

    @Test
    void everyReportReachesTheTargetInOrderOnAnotherThreadBeforeFinishReturns() throws Exception {
        Recording target = new Recording();
        List<String> expected = new ArrayList<>();
        try (BackgroundSink sink = new BackgroundSink(target, 3, 2, "test-sink")) {
            for (int i = 0; i < 50; i++) {
                sink.entry(entry("u" + i));
                expected.add("entry uid=u" + i + ",dc=example,dc=test");
                if (i % 10 == 0) {
                    sink.deleted("d" + i);
                    sink.present("p" + i);
                    expected.add("deleted d" + i);
                    expected.add("present p" + i);
                }
            }
            sink.finish();
        }
        assertEquals(expected, target.seen);
        assertTrue(target.threads.stream().noneMatch(t -> t == Thread.currentThread()));
    }

    @Test
    void aFailureOfTheTargetStopsTheReaderAtItsNextReportAndComesBackFromFinish() throws Exception {
        IOException upload = new IOException("upload refused");
        CountDownLatch failed = new CountDownLatch(1);
        ChangeSink failing = new ChangeSink() {
            @Override
            public void entry(SearchResultEntry entry) {
                throw new IllegalStateException("no entry is sent in this test");
            }

            @Override
            public void present(String id) {
                // what the reader sends after the failure; dropped
            }

            @Override
            public void deleted(String id) throws IOException {
                failed.countDown();
                throw upload;
            }
        };
        try (BackgroundSink sink = new BackgroundSink(failing, 1, 2, "test-sink")) {
            sink.deleted("x");
            assertTrue(failed.await(5, TimeUnit.SECONDS));
            // The reader learns of the failure instead of blocking on a queue nobody empties.
            IOException thrown = assertThrows(IOException.class, () -> {
                for (int i = 0; i < 100; i++) {
                    sink.present("p" + i);
                }
            });
            assertSame(upload, thrown);
            assertSame(upload, assertThrows(IOException.class, sink::finish));
        }
    }

    @Test
    void closeStopsTheThreadWhenTheReadFailedBeforeFinish() throws Exception {
        Recording target = new Recording();
        BackgroundSink sink = new BackgroundSink(target, 1, 2, "test-sink");
        sink.entry(entry("a"));
        sink.close();
        assertEquals(0, Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("test-sink")
                && t.isAlive()).count());
    }
}
