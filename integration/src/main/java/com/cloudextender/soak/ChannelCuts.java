package com.cloudextender.soak;

import java.time.Duration;
import java.time.Instant;

import com.cloudextender.chaos.CloudWaits;
import com.cloudextender.chaos.FaultProxy;
import com.cloudextender.devcloud.DevCloud;

/** The soak's channel cuts: the fault proxy resets the extender's connection (RST both ways). */
final class ChannelCuts {
    private static final Duration RECONNECT_WAIT = Duration.ofSeconds(60);

    private final DevCloud cloud;
    private final FaultProxy proxy;
    private final String extenderId;

    ChannelCuts(DevCloud cloud, FaultProxy proxy, String extenderId) {
        this.cloud = cloud;
        this.proxy = proxy;
        this.extenderId = extenderId;
    }

    /** Cuts the connection and waits for the cloud to bind the extender's next session. */
    Cut cut() throws InterruptedException {
        Instant at = Instant.now();
        long atNanos = System.nanoTime();
        proxy.resetAll();
        long millis = CloudWaits.reconnectedAfter(cloud, extenderId, at, RECONNECT_WAIT);
        return new Cut(atNanos, millis < 0 ? -1 : System.nanoTime());
    }
}
