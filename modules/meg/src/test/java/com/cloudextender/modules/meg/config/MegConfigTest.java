package com.cloudextender.modules.meg.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.cloudextender.api.ModuleConfig;

class MegConfigTest {
    private static Map<String, String> base() {
        Map<String, String> m = new HashMap<>();
        m.put("relay.addresses", "relay1.example:8443, relay2.example");
        m.put("relay.credential", "s3cret-credential");
        m.put("allow.hosts", "intranet.corp");
        return m;
    }

    private static MegConfig read(Map<String, String> m) {
        return MegConfig.from(new ModuleConfig(m, Set.of("relay.credential")));
    }

    @Test
    void defaultsAndRelayAddresses() {
        MegConfig c = read(base());
        assertEquals(List.of(new RelayAddress("relay1.example", 8443), new RelayAddress("relay2.example", 443)), c.relays());
        assertEquals(2, c.connections());
        assertEquals(Duration.ofSeconds(10), c.pingInterval());
        assertEquals(Set.of(80, 443), c.allowList().ports());
        assertTrue(c.allowList().connectPorts().isEmpty(), "no byte streams unless named");
        assertFalse(c.toString().contains("s3cret"), c.toString());
    }

    @Test
    void onlyAnAllowListChangeKeepsTheTunnel() {
        MegConfig a = read(base());
        Map<String, String> m = base();
        m.put("allow.hosts", "other.corp");
        assertTrue(a.sameTunnelAs(read(m)));
        m.put("relay.connections", "3");
        assertFalse(a.sameTunnelAs(read(m)));
    }

    @Test
    void badValuesNameTheirKey() {
        for (String[] kv : new String[][] {{"relay.addresses", "relay:0"}, {"relay.connections", "0"},
                {"relay.pingTimeout", "0s"}, {"stream.window", "10"}, {"allow.ports", "http"},
                {"relay.trustStore", "/no/such/file.pem"}, {"relay.backoffMax", "1ms"}}) {
            Map<String, String> m = base();
            m.put(kv[0], kv[1]);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> read(m), kv[0]);
            assertTrue(e.getMessage().startsWith(kv[0].equals("relay.backoffMax") ? "relay.backoffMax" : kv[0]),
                    e.getMessage());
        }
        Map<String, String> m = base();
        m.remove("relay.credential");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> read(m)).getMessage()
                .startsWith("relay.credential"));
    }
}
