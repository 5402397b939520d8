package com.cloudextender.core.health;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the health and usage report to the cloud right after each connect and then periodically, and
 * hands each report to local observers (the status file).
 */
public final class HealthReporter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HealthReporter.class);

    private final Supplier<String> report;
    private final Consumer<String> send;
    private final ScheduledExecutorService timer;

    public HealthReporter(Supplier<String> report, Consumer<String> send, Duration interval) {
        this.report = report;
        this.send = send;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "health-reporter");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(this::sendNow, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Sends a report now, off the caller's thread. */
    public void trigger() {
        timer.execute(this::sendNow);
    }

    private void sendNow() {
        try {
            send.accept(report.get());
        } catch (RuntimeException e) {
            LOG.warn("Could not build or send the health report: {}", e.toString());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
