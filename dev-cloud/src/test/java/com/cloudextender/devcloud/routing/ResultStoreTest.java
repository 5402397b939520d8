package com.cloudextender.devcloud.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudextender.core.protocol.ResultIq;
import com.cloudextender.devcloud.ResultView;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResultStoreTest {
    private static ResultIq result(String commandId) {
        return new ResultIq(commandId, "directory", "sync", null, 5, "{\"n\":\"" + commandId + "\"}");
    }

    @Test
    void aRepeatedResultIsCountedNotStoredAgain() {
        ResultStore store = new ResultStore(null, 10);

        assertTrue(store.store("x1", result("c1")));
        assertFalse(store.store("x1", result("c1")));

        ResultView v = store.find("c1").orElseThrow();
        assertEquals(2, v.timesReceived());
        assertEquals(1, store.all().size());
    }

    @Test
    void onlyTheNewestResultsAreKept() {
        ResultStore store = new ResultStore(null, 3);
        for (int i = 1; i <= 5; i++) {
            store.store("x1", result("c" + i));
        }
        store.store("x1", result("c5")); // a repeat neither adds nor drops anything

        assertEquals(List.of("c3", "c4", "c5"), store.all().stream().map(ResultView::commandId).sorted().toList());
        assertTrue(store.find("c2").isEmpty());
        assertEquals(2, store.find("c5").orElseThrow().timesReceived());
    }
}
