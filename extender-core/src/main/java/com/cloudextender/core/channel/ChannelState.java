package com.cloudextender.core.channel;

/** Where the channel to the cloud stands. */
public enum ChannelState {
    /** Not started yet. */
    STARTING,
    /** An attempt to connect and log in is under way. */
    CONNECTING,
    /** Connected, authenticated, taking commands. */
    CONNECTED,
    /** The last attempt failed or the connection dropped; waiting before the next attempt. */
    WAITING_TO_RECONNECT,
    /** The cloud refused the credential; no further attempts until re-registration or restart. */
    CREDENTIAL_REJECTED,
    /** Stopped by the administrator. */
    STOPPED
}
