package com.cloudextender.demo;

import java.net.InetAddress;
import java.util.Map;
import java.util.TreeMap;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;

/**
 * A small company directory for the demo and the end-to-end tests: UnboundID's in-memory LDAP server on
 * loopback with OUs, users (with passwords), a service account and a group. It stands for the customer's
 * directory behind the firewall.
 */
public final class EmbeddedDirectory implements AutoCloseable {
    public static final String BASE = "dc=corp,dc=example";
    public static final String SERVICE_DN = "cn=extender-svc,ou=Service,dc=corp,dc=example";
    public static final String SERVICE_PASSWORD = "Svc-Passw0rd!";

    private final InMemoryDirectoryServer server;

    private EmbeddedDirectory(InMemoryDirectoryServer server) {
        this.server = server;
    }

    /** Starts the directory on 127.0.0.1 with {@code users} people in ou=People (alice is user 0). */
    public static EmbeddedDirectory start(int users) throws LDAPException, com.unboundid.ldif.LDIFException {
        InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(BASE);
        config.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("ldap", loopback(), 0, null));
        config.setEnforceSingleStructuralObjectClass(false);
        InMemoryDirectoryServer server = new InMemoryDirectoryServer(config);
        server.add("dn: " + BASE, "objectClass: top", "objectClass: domain", "dc: corp");
        for (String ou : new String[] {"People", "Groups", "Service", "Contractors"}) {
            server.add("dn: ou=" + ou + "," + BASE, "objectClass: organizationalUnit", "ou: " + ou);
        }
        server.add("dn: " + SERVICE_DN, "objectClass: inetOrgPerson", "cn: extender-svc", "sn: svc",
                "uid: extender-svc", "userPassword: " + SERVICE_PASSWORD);
        String[] names = {"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi"};
        for (int i = 0; i < users; i++) {
            String uid = i < names.length ? names[i] : "user" + i;
            server.add("dn: uid=" + uid + ",ou=People," + BASE, "objectClass: inetOrgPerson", "uid: " + uid,
                    "cn: " + Character.toUpperCase(uid.charAt(0)) + uid.substring(1) + " Example", "sn: Example",
                    "mail: " + uid + "@corp.example", "userPassword: " + password(uid));
        }
        server.add("dn: cn=Sales,ou=Groups," + BASE, "objectClass: groupOfNames", "cn: Sales",
                "member: uid=alice,ou=People," + BASE,
                "member: uid=bob,ou=People," + BASE);
        server.startListening();
        return new EmbeddedDirectory(server);
    }

    /** The demo password of {@code uid}. */
    public static String password(String uid) {
        return uid.substring(0, 1).toUpperCase() + uid.substring(1) + "-Pa55word";
    }

    private static InetAddress loopback() {
        return InetAddress.getLoopbackAddress();
    }

    /** {@code ldap://127.0.0.1:<port>}. */
    public String url() {
        return "ldap://127.0.0.1:" + server.getListenPort();
    }

    /**
     * The directory module's feature configuration for this directory: one profile, {@code corp}, plain LDAP
     * (the directory has no certificate and listens only on 127.0.0.1, so said so), syncing ou=People and
     * ou=Groups on command only ({@code sync.interval=0s}).
     */
    public Map<String, String> featureConfig() {
        return featureConfig(url(), SERVICE_DN, SERVICE_PASSWORD, BASE, "0s");
    }

    /**
     * The directory module's feature configuration for a plain-LDAP directory on loopback: one profile,
     * {@code corp}, bound as {@code bindDn}, syncing ou=People and ou=Groups under {@code base} every
     * {@code interval} ({@code 0s}: on command only).
     */
    public static Map<String, String> featureConfig(String url, String bindDn, String bindPassword, String base,
            String interval) {
        Map<String, String> c = new TreeMap<>();
        c.put("profiles", "corp");
        c.put("profile.corp.type", "openLdap");
        c.put("profile.corp.servers", url);
        c.put("profile.corp.allowPlaintext", "true");
        c.put("profile.corp.bindDn", bindDn);
        c.put("profile.corp.bindPassword", bindPassword);
        c.put("profile.corp.baseDn", base);
        c.put("sync.profiles", "corp");
        c.put("sync.corp.includeOus", "ou=People," + base + ";ou=Groups," + base);
        c.put("sync.interval", interval);
        return c;
    }

    /** Changes a user's mail address, as an administrator would. */
    public void changeMail(String uid, String mail) throws LDAPException {
        server.modify("uid=" + uid + ",ou=People," + BASE, new Modification(ModificationType.REPLACE, "mail", mail));
    }

    /** Adds a user. */
    public void addUser(String uid) throws LDAPException, com.unboundid.ldif.LDIFException {
        server.add("dn: uid=" + uid + ",ou=People," + BASE, "objectClass: inetOrgPerson", "uid: " + uid, "cn: " + uid,
                "sn: Example", "userPassword: " + password(uid));
    }

    @Override
    public void close() {
        server.shutDown(true);
    }
}
