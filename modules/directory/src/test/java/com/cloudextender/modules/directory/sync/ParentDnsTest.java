package com.cloudextender.modules.directory.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudextender.api.ModuleConfig;
import com.cloudextender.modules.directory.config.DirectoryConfig;
import com.cloudextender.modules.directory.mapping.UserObject;
import com.unboundid.ldap.sdk.DN;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ParentDnsTest {
    private static final String BASE = "dc=example,dc=test";

    private static SyncQuery query(String domain) {
        Map<String, String> c = new java.util.HashMap<>(Map.of("profiles", "corp", "profile.corp.type", "openLdap",
                "profile.corp.servers", "ldap://127.0.0.1:1", "profile.corp.bindDn", "cn=reader," + BASE,
                "profile.corp.bindPassword", "x", "profile.corp.baseDn", BASE, "sync.profiles", "corp",
                "sync.corp.includeOus", "ou=Staff," + BASE + ";ou=Sub,ou=Other," + BASE,
                "sync.corp.excludeOus", "ou=Gone,ou=Staff," + BASE));
        if (domain != null) {
            c.put("profile.corp.domain", domain);
        }
        DirectoryConfig config = DirectoryConfig.read(new ModuleConfig(c, Set.of("profile.corp.bindPassword")));
        return SyncQuery.of(config.profile("corp").orElseThrow(), config.sync().profiles().get("corp"), 100);
    }

    @Test
    void answersAsParsingTheWholeDnDoesOrNotAtAll() throws Exception {
        for (String domain : new String[] {null, "corp.example.com"}) {
            SyncQuery q = query(domain);
            ParentDns parents = new ParentDns(q);
            List<String> dns = List.of("uid=a,ou=Staff," + BASE, "uid=b, OU=staff , DC=Example,dc=test",
                    "uid=c,ou=Gone,ou=Staff," + BASE, "uid=d,ou=Deeper,ou=Gone,ou=Staff," + BASE,
                    "uid=e,ou=Other," + BASE, "uid=f,ou=Sub,ou=Other," + BASE, "uid=g," + BASE,
                    "uid=h,ou=Deep,ou=Staff,dc=sub," + BASE, "uid=i,ou=Staff,dc=sub," + BASE, "uid=k,ou=Team,ou=Staff," + BASE,
                    // Judged by parsing: included or excluded subtrees themselves, or an RDN this cannot split.
                    "ou=Staff," + BASE, "ou=Gone,ou=Staff," + BASE, "ou=Sub,ou=Other," + BASE,
                    "uid=x\\,y,ou=Staff," + BASE, "uid=\"x,y\",ou=Staff," + BASE, "uid=j+cn=k,ou=Staff," + BASE,
                    "dc=staff,ou=Staff," + BASE, "uid=top");
            for (int round = 0; round < 2; round++) { // the second round answers from the cache
                for (String dn : dns) {
                    ParentDns.Facts f = parents.of(dn);
                    if (f == null) {
                        continue;
                    }
                    DN parsed = new DN(dn);
                    assertEquals(q.inScope(parsed), f.inScope(), dn);
                    assertEquals(UserObject.domainOf(parsed, q.profile()), f.domain(), dn);
                }
            }
            assertTrue(parents.of("uid=k,ou=Team,ou=Staff," + BASE).inScope());
            assertFalse(parents.of("uid=c,ou=Gone,ou=Staff," + BASE).inScope());
            assertEquals(domain == null ? "sub.example.test" : domain,
                    parents.of("uid=i,ou=Staff,dc=sub," + BASE).domain().orElseThrow());
            // ou=Staff is the parent of the excluded ou=Gone, and ou=Other of the included ou=Sub.
            for (String dn : List.of("uid=a,ou=Staff," + BASE, "uid=e,ou=Other," + BASE, "ou=Staff," + BASE, "ou=Gone,ou=Staff," + BASE, "ou=Sub,ou=Other," + BASE,
                    "uid=x\\,y,ou=Staff," + BASE, "uid=\"x,y\",ou=Staff," + BASE, "uid=j+cn=k,ou=Staff," + BASE,
                    "dc=staff,ou=Staff," + BASE, "uid=top")) {
                assertNull(parents.of(dn), dn);
            }
        }
    }
}
