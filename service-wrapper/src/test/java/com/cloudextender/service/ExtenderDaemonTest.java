package com.cloudextender.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;

class ExtenderDaemonTest {

    @Test
    void theConfigurationIsTheFirstArgumentWithTheInstallationDefault() {
        assertEquals(Path.of("/opt/x/conf/extender.properties"),
                ExtenderDaemon.configOf(new String[] {"/opt/x/conf/extender.properties", "ignored"}));
        assertEquals(Path.of("conf/extender.properties"), ExtenderDaemon.configOf(new String[0]));
        assertEquals(Path.of("conf/extender.properties"), ExtenderDaemon.configOf(null));
        // procrun passes an empty StartParams as one empty argument
        assertEquals(Path.of("conf/extender.properties"), ExtenderDaemon.configOf(new String[] {" "}));
    }

    @Test
    void stopBeforeStartDoesNothing() {
        ExtenderDaemon d = new ExtenderDaemon(Duration.ofSeconds(1));
        d.stop();
        d.destroy();
        assertNull(d.extender());
    }

    @Test
    void procrunStopWithoutAServiceReturnsAtOnce() {
        long t0 = System.nanoTime();
        ExtenderDaemon.stop(new String[0]);
        assertTrue(System.nanoTime() - t0 < 1_000_000_000L);
    }

    @Test
    void theStopGraceFitsJsvcsSixtySecondWait() {
        // jsvc -stop gives up after 60 s; the drain plus closing must end well before.
        assertTrue(ExtenderDaemon.STOP_GRACE.plusSeconds(10).compareTo(Duration.ofSeconds(60)) < 0);
    }
}
