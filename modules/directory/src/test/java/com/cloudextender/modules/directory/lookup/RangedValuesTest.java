package com.cloudextender.modules.directory.lookup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPInterface;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RangedValuesTest {
    private static final String DN = "CN=Big,OU=Groups,DC=corp,DC=test";

    @Test
    void nextAsksForTheRestAfterTheReturnedRange() {
        assertEquals(Optional.of("member;range=1500-*"), RangedValues.next("member;range=0-1499"));
        assertEquals(Optional.of("member;range=3000-*"), RangedValues.next("member;Range=1500-2999"));
        assertEquals(Optional.empty(), RangedValues.next("member;range=3000-*"));
        assertEquals(Optional.empty(), RangedValues.next("member"));
    }

    @Test
    void readsEveryRangeOfALargeGroupInOrder() throws Exception {
        // What a domain controller with MaxValRange=1500 returns for a group of 3200 members.
        List<String> requested = new ArrayList<>();
        LDAPInterface dc = server(requested, attr -> switch (attr) {
            case "member;range=1500-*" -> new Entry(DN, new Attribute("member;range=1500-2999", members(1500, 3000)));
            case "member;range=3000-*" -> new Entry(DN, new Attribute("member;range=3000-*", members(3000, 3200)));
            default -> throw new AssertionError("unexpected request " + attr);
        });
        Entry first = new Entry(DN, new Attribute("member;range=0-1499", members(0, 1500)));
        List<String> all = new ArrayList<>();
        RangedValues.forEach(dc, first, "member", all::add);
        assertEquals(List.of(members(0, 3200)), all);
        assertEquals(List.of("member;range=1500-*", "member;range=3000-*"), requested);
    }

    @Test
    void aPlainAttributeNeedsNoFurtherRequest() throws Exception {
        List<String> requested = new ArrayList<>();
        LDAPInterface dc = server(requested, attr -> {
            throw new AssertionError("no request expected");
        });
        List<String> all = new ArrayList<>();
        RangedValues.forEach(dc, new Entry(DN, new Attribute("member", "cn=a", "cn=b")), "member", all::add);
        assertEquals(List.of("cn=a", "cn=b"), all);
    }

    @Test
    void aServerRepeatingARangeIsStoppedInsteadOfLooping() {
        LDAPInterface dc = server(new ArrayList<>(), attr -> new Entry(DN, new Attribute("member;range=0-1499", members(0, 1500))));
        Entry first = new Entry(DN, new Attribute("member;range=0-1499", members(0, 1500)));
        assertThrows(LDAPException.class, () -> RangedValues.forEach(dc, first, "member", v -> { }));
    }

    private static String[] members(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> "CN=user" + i + ",OU=Staff,DC=corp,DC=test").toArray(String[]::new);
    }

    /** A connection that answers getEntry(dn, attribute) with {@code answer} and records the attribute. */
    private static LDAPInterface server(List<String> requested, java.util.function.Function<String, Entry> answer) {
        return (LDAPInterface) Proxy.newProxyInstance(RangedValuesTest.class.getClassLoader(),
                new Class<?>[] {LDAPInterface.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getEntry") && args.length == 2) {
                        String attr = ((String[]) args[1])[0];
                        requested.add(attr);
                        return new com.unboundid.ldap.sdk.SearchResultEntry(answer.apply(attr));
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
