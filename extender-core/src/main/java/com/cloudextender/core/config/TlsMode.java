package com.cloudextender.core.config;

/** How the channel secures its connection: TLS from the first byte, or XMPP STARTTLS. */
public enum TlsMode {
    DIRECT, STARTTLS
}
