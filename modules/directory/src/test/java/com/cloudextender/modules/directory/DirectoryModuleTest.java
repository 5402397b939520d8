package com.cloudextender.modules.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DirectoryModuleTest {
    @Test
    void theSyncScheduleIsLoggedReadably() {
        assertEquals("on request only (sync.interval=0s: no schedule)", DirectoryModule.schedule(Duration.ZERO));
        assertEquals("every 1h", DirectoryModule.schedule(Duration.ofHours(1)));
        assertEquals("every 1h30m", DirectoryModule.schedule(Duration.ofMinutes(90)));
    }
}
