package com.cloudextender.modules.directory.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudextender.api.ModuleConfig;
import com.cloudextender.modules.directory.config.DirectoryConfig;
import com.cloudextender.modules.directory.config.ProfileSettings;
import com.cloudextender.modules.directory.testing.TestDirectory;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.SearchScope;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProfileConnectionsTest {
    private static ProfileSettings profile(TestDirectory ldap) {
        return DirectoryConfig.read(new ModuleConfig(ldap.config(Map.of()), TestDirectory.secrets())).profile("corp")
                .orElseThrow();
    }

    /**
     * Pooled connections read their own responses (synchronous mode, no reader thread), so a connection the
     * server closed is only found at its next use: the pool must then retry on a new connection.
     */
    @Test
    void aSearchOnAConnectionTheServerClosedIsRetriedOnANewOne() throws Exception {
        try (TestDirectory ldap = new TestDirectory().withSampleData();
                ProfileConnections c = ProfileConnections.open(profile(ldap))) {
            LDAPConnection lent = c.pool().getConnection();
            assertTrue(lent.synchronousMode(), "pooled connections in synchronous mode");
            c.pool().releaseConnection(lent);
            assertEquals(1, c.pool().search(TestDirectory.BASE, SearchScope.BASE, "(objectClass=*)").getEntryCount());

            ldap.server.closeAllConnections(true); // as a DC that restarts, with a notice of disconnection

            assertEquals(1, c.pool().search(TestDirectory.BASE, SearchScope.BASE, "(objectClass=*)").getEntryCount());
            assertTrue(c.pool().getConnectionPoolStatistics().getNumConnectionsClosedDefunct() >= 1,
                    c.pool().getConnectionPoolStatistics().toString());
        }
    }
}
