package com.cloudextender.core.lease;

import java.util.concurrent.CompletableFuture;

import org.jivesoftware.smack.packet.IQ;

import com.cloudextender.core.channel.Channel;
import com.cloudextender.core.protocol.LeaseIq;

/** Lease requests over the channel, to the cloud's report address; fails at once while the channel is down. */
public final class ChannelLeases implements LeaseTransport {
    private final Channel channel;

    public ChannelLeases(Channel channel) {
        this.channel = channel;
    }

    @Override
    public CompletableFuture<LeaseIq> send(LeaseIq request) {
        return channel.query(request).thenApply(ChannelLeases::lease);
    }

    private static LeaseIq lease(IQ answer) {
        if (answer instanceof LeaseIq lease) {
            return lease;
        }
        throw new IllegalStateException("the cloud answered a lease request with " + answer.getChildElementName());
    }
}
