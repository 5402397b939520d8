package com.cloudextender.core.channel;

/** Told about channel events; called on the channel's own thread, so implementations must not block. */
public interface ChannelListener {
    /** Logged in and ready; {@code resumed} when the previous session was resumed (XEP-0198). */
    default void connected(boolean resumed) {
    }

    /** The state changed; for status reports. */
    default void stateChanged(ChannelStatus status) {
    }

    /**
     * The cloud refused the credential. Return new credentials to try (after re-registration), or
     * {@code null} to stay in {@link ChannelState#CREDENTIAL_REJECTED}.
     */
    default ChannelCredentials credentialRejected(ChannelCredentials rejected) {
        return null;
    }
}
