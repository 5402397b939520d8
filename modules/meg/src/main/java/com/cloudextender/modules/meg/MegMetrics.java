package com.cloudextender.modules.meg;

import java.time.Duration;

import com.cloudextender.api.ModuleMetrics;

/**
 * The module's metrics, named once here. Gauges ({@code connections.up}, {@code streams.inFlight}) are
 * counters moved up and down, so the host's counter shows their current value.
 */
public final class MegMetrics {
    private final ModuleMetrics m;

    public MegMetrics(ModuleMetrics m) {
        this.m = m;
    }

    public void connectionUp(int delta) {
        m.count("connections.up", delta);
    }

    public void connectionFailed() {
        m.count("connections.failures", 1);
    }

    public void streamInFlight(int delta) {
        m.count("streams.inFlight", delta);
        if (delta > 0) {
            m.count("streams.total", 1);
        }
    }

    public void streamEnded(String outcome, Duration elapsed) {
        m.count("streams." + outcome, 1);
        m.time("streams.duration", elapsed);
    }

    public void bytesToTarget(long n) {
        m.count("bytes.toTarget", n);
    }

    public void bytesFromTarget(long n) {
        m.count("bytes.fromTarget", n);
    }
}
