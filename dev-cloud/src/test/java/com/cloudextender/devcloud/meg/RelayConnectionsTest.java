package com.cloudextender.devcloud.meg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;

/** The choice of a tunnel connection: round robin, a user connection's last one kept, a failed one avoided. */
class RelayConnectionsTest {
    private final RelayConnections connections = new RelayConnections();
    private final EmbeddedChannel a = new EmbeddedChannel();
    private final EmbeddedChannel b = new EmbeddedChannel();

    RelayConnectionsTest() {
        connections.add(new RelayConnections.Connection("co", "x1", a));
        connections.add(new RelayConnections.Connection("co", "x1", b));
    }

    private Channel pick(Channel avoid, Channel prefer) {
        return connections.pick("co", avoid, prefer).orElseThrow().channel();
    }

    @Test
    void newUserConnectionsAreSpreadAndAUserConnectionKeepsItsTunnelConnection() {
        Set<Channel> spread = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            spread.add(pick(null, null));
        }
        assertEquals(Set.of(a, b), spread);
        for (int i = 0; i < 4; i++) {
            assertSame(b, pick(null, b), "the connection the user connection used last");
        }
    }

    @Test
    void aPreferredConnectionThatIsAvoidedOrGoneIsNotPicked() {
        assertSame(a, pick(b, b), "a retry avoids the connection that failed, even if preferred");
        b.close();
        assertSame(a, pick(null, b), "a closed connection is never picked");
        assertEquals(1, connections.count("co"));
    }
}
