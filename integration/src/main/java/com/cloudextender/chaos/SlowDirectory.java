package com.cloudextender.chaos;

import com.cloudextender.demo.EmbeddedDirectory;
import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedSearchEntry;
import com.unboundid.ldap.listener.interceptor.InMemoryOperationInterceptor;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldif.LDIFException;
import java.net.InetAddress;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * An in-memory directory on loopback whose every returned person entry costs a few milliseconds, so that a
 * full sync lasts seconds and a fault can land in the middle of it: users {@code uid=userN} in ou=People
 * and a group in ou=Groups, and the directory feature's configuration for it. For the fault-injection
 * harness and the lease tests.
 */
public final class SlowDirectory {
    public static final String BASE = "dc=corp,dc=example";
    static final String SERVICE_DN = "cn=extender-svc,ou=Service," + BASE;
    private static final String SERVICE_PASSWORD = "Svc-Passw0rd!";

    private SlowDirectory() {
    }

    /** Starts a directory of {@code users} users, each returned {@code delayMillis} late. */
    public static InMemoryDirectoryServer start(int users, int delayMillis) throws LDAPException, LDIFException {
        InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(BASE);
        config.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("ldap", InetAddress.getLoopbackAddress(), 0,
                null));
        config.setEnforceSingleStructuralObjectClass(false);
        config.addInMemoryOperationInterceptor(new InMemoryOperationInterceptor() {
            @Override
            public void processSearchEntry(InMemoryInterceptedSearchEntry entry) {
                if (entry.getSearchEntry().getDN().toLowerCase(Locale.ROOT).contains("ou=people")) {
                    try {
                        Thread.sleep(delayMillis);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        });
        InMemoryDirectoryServer server = new InMemoryDirectoryServer(config);
        server.add("dn: " + BASE, "objectClass: top", "objectClass: domain", "dc: corp");
        for (String ou : new String[] {"People", "Groups", "Service"}) {
            server.add("dn: ou=" + ou + "," + BASE, "objectClass: organizationalUnit", "ou: " + ou);
        }
        server.add("dn: " + SERVICE_DN, "objectClass: inetOrgPerson", "cn: extender-svc", "sn: svc",
                "uid: extender-svc", "userPassword: " + SERVICE_PASSWORD);
        for (int i = 0; i < users; i++) {
            addUser(server, "user" + i);
        }
        server.add("dn: cn=Sales,ou=Groups," + BASE, "objectClass: groupOfNames", "cn: Sales",
                "member: uid=user0,ou=People," + BASE, "member: uid=user1,ou=People," + BASE);
        server.startListening();
        return server;
    }

    /** Adds the user {@code uid} to ou=People. */
    public static void addUser(InMemoryDirectoryServer server, String uid) throws LDAPException, LDIFException {
        server.add("dn: " + userDn(uid), "objectClass: inetOrgPerson", "uid: " + uid, "cn: User " + uid,
                "sn: Example", "mail: " + uid + "@corp.example");
    }

    /** The DN of the user {@code uid}. */
    public static String userDn(String uid) {
        return "uid=" + uid + ",ou=People," + BASE;
    }

    /** The DNs of the users and groups in the synchronised subtrees, lower case. */
    public static Set<String> dns(InMemoryDirectoryServer directory) throws LDAPException {
        Set<String> dns = new TreeSet<>();
        for (String ou : new String[] {"ou=People,", "ou=Groups,"}) {
            for (SearchResultEntry e : directory.search(ou + BASE, SearchScope.SUB,
                    "(|(objectClass=inetOrgPerson)(objectClass=groupOfNames))").getSearchEntries()) {
                dns.add(e.getDN().toLowerCase(Locale.ROOT));
            }
        }
        return dns;
    }

    /**
     * The directory feature's configuration for this directory on {@code port}: one profile over ou=People
     * and ou=Groups, chunks and pages of 50 entries, the default deletion threshold, no deletion sweep.
     *
     * @param interval {@code sync.interval}: {@code 0s} for syncs on command only
     */
    public static Map<String, String> featureConfig(int port, String interval) {
        Map<String, String> c = new TreeMap<>(EmbeddedDirectory.featureConfig("ldap://127.0.0.1:" + port, SERVICE_DN,
                SERVICE_PASSWORD, BASE, interval));
        c.put("sync.chunkEntries", "50");
        c.put("sync.pageSize", "50");
        c.put("sync.deletionSweep", "0s");
        return c;
    }
}
