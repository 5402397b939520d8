package com.cloudextender.core.channel;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jivesoftware.smackx.httpfileupload.HttpFileUploadManager;
import org.junit.jupiter.api.Test;

/** What the channel's connection asks at login (the reconnect stall of docs/RELIABILITY.md). */
class ExtenderConnectionTest {
    private static ExtenderConnection connection() throws Exception {
        return new ExtenderConnection(XMPPTCPConnectionConfiguration.builder().setXmppDomain("cloud.example")
                .setUsernameAndPassword("x", "y").build(), what -> { });
    }

    @Test
    void theRosterIsNotLoadedAtLogin() throws Exception {
        ExtenderConnection c = connection();
        assertFalse(Roster.getInstanceFor(c).isRosterLoadedAtLogin());
        assertTrue(Roster.getInstanceFor(new org.jivesoftware.smack.tcp.XMPPTCPConnection(
                XMPPTCPConnectionConfiguration.builder().setXmppDomain("cloud.example").build()))
                .isRosterLoadedAtLogin(), "Smack's default, which the extender turns off");
    }

    @Test
    void noHttpUploadServiceIsDiscoveredAtLogin() throws Exception {
        ExtenderConnection c = connection();
        assertFalse(c.hasListenerOf(HttpFileUploadManager.class));
        assertTrue(c.hasListenerOf(Roster.class), "other managers keep their connection listeners");
    }
}
