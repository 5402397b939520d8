package com.cloudextender.modules.meg.allow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every refusal of the allow list, and what passes. A fake resolver stands in for DNS. */
class TargetCheckTest {
    private final Map<String, List<InetAddress>> dns = new HashMap<>();
    private final List<String> asked = new ArrayList<>();
    private final AtomicReference<AllowList> list = new AtomicReference<>(AllowList.parse(
            "intranet.corp, *.corp.example, evil.corp, rebind.corp, mapped.corp, local.corp, meta.corp",
            "10.0.0.0/8", "80,443,8000-8001", "http,https", "443,445"));
    private final TargetCheck check = new TargetCheck(list::get,
            new SpecialAddresses(() -> List.of(ip("192.0.2.10"), ip("2001:db8::10"))), this::resolve);

    TargetCheckTest() {
        dns.put("intranet.corp", List.of(ip("10.1.2.3")));
        dns.put("wiki.corp.example", List.of(ip("10.9.9.9")));
        dns.put("evil.corp", List.of(ip("127.0.0.1")));
        dns.put("rebind.corp", List.of(ip("10.1.1.1"), ip("169.254.169.254")));
        dns.put("mapped.corp", List.of(ip("::ffff:127.0.0.1")));
        dns.put("local.corp", List.of(ip("192.0.2.10")));
        dns.put("meta.corp", List.of(ip("fd00:ec2::254")));
        dns.put("unlisted.example", List.of(ip("10.5.5.5")));
        dns.put("outside.example", List.of(ip("198.51.100.7")));
    }

    private List<InetAddress> resolve(String name) throws UnknownHostException {
        asked.add(name);
        List<InetAddress> a = dns.get(name);
        if (a == null) {
            throw new UnknownHostException(name);
        }
        return a;
    }

    private static InetAddress ip(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private Refusal refusal(String scheme, String host, int port) {
        return assertThrows(RefusedException.class, () -> check.checkHttp(scheme, host, port)).reason();
    }

    @Test
    void listedNamesPassWithTheirCheckedAddresses() throws Exception {
        TargetCheck.Checked c = check.checkHttp("http", "Intranet.Corp", 80);
        assertEquals("intranet.corp", c.host());
        assertEquals(List.of(ip("10.1.2.3")), c.addresses());
        assertEquals("intranet.corp", c.authority("http"));
        assertEquals("wiki.corp.example:8000", check.checkHttp("https", "wiki.corp.example", 8000).authority("https"));
        // A name outside the host entries passes when every address is in a range…
        assertEquals(List.of(ip("10.5.5.5")), check.checkHttp("http", "unlisted.example", 80).addresses());
        // …and an address in a range passes as an address.
        assertEquals("10.7.7.7", check.checkHttp("http", "10.7.7.7", 443).host());
    }

    @Test
    void theSuffixWildcardDoesNotMatchTheBareDomainOrLookAlikes() {
        dns.put("corp.example", List.of(ip("198.51.100.1")));
        dns.put("evilcorp.example", List.of(ip("198.51.100.2")));
        assertEquals(Refusal.NOT_LISTED, refusal("http", "corp.example", 80));
        assertEquals(Refusal.NOT_LISTED, refusal("http", "evilcorp.example", 80));
        assertEquals(Refusal.NOT_LISTED, refusal("http", "outside.example", 80));
    }

    @Test
    void anEmptyListRefusesEverythingWithoutAskingDns() {
        list.set(AllowList.denyAll());
        assertEquals(Refusal.SCHEME, refusal("http", "intranet.corp", 80));
        list.set(AllowList.parse("", "", "80", "http", ""));
        assertEquals(Refusal.NOT_LISTED, refusal("http", "intranet.corp", 80));
        assertEquals(Refusal.NOT_LISTED, refusal("http", "10.1.2.3", 80));
        assertTrue(asked.isEmpty(), "no DNS query for a refused name: " + asked);
    }

    @Test
    void schemesAndPortsAreChecked() {
        assertEquals(Refusal.SCHEME, refusal("ftp", "intranet.corp", 80));
        assertEquals(Refusal.SCHEME, refusal("file", "intranet.corp", 80));
        assertEquals(Refusal.PORT, refusal("http", "intranet.corp", 22));
        assertEquals(Refusal.PORT, refusal("http", "intranet.corp", 8002));
        assertEquals(Refusal.PORT, assertThrows(RefusedException.class, () -> check.checkConnect("intranet.corp", 80))
                .reason());
        assertTrue(asked.isEmpty(), "refused before any DNS query: " + asked);
    }

    @Test
    void byteStreamsNeedAConnectPort() throws Exception {
        assertEquals(List.of(ip("10.1.2.3")), check.checkConnect("intranet.corp", 445).addresses());
    }

    @ParameterizedTest
    @CsvSource({
            "127.0.0.1, LOOPBACK",
            "2130706433, LOOPBACK",
            "0177.0.0.1, LOOPBACK",
            "0x7f.1, LOOPBACK",
            "127.1, LOOPBACK",
            "[::1], LOOPBACK",
            "[::ffff:127.0.0.1], LOOPBACK",
            "[::ffff:7f00:1], LOOPBACK",
            "[64:ff9b::7f00:1], LOOPBACK",
            "[2002:7f00:1::], LOOPBACK",
            "[::127.0.0.1], LOOPBACK",
            "169.254.169.254, METADATA",
            "2852039166, METADATA",
            "[fd00:ec2::254], METADATA",
            "100.100.100.200, METADATA",
            "169.254.1.1, LINK_LOCAL",
            "[fe80::1%25eth0], LINK_LOCAL",
            "[fe80::1], LINK_LOCAL",
            "0.0.0.0, UNSPECIFIED",
            "0, UNSPECIFIED",
            "[::], UNSPECIFIED",
            "224.0.0.1, MULTICAST",
            "255.255.255.255, MULTICAST",
            "[ff02::1], MULTICAST",
            "192.0.2.10, OWN_ADDRESS",
            "[2001:db8::10], OWN_ADDRESS",
            "evil.corp, LOOPBACK",
            "mapped.corp, LOOPBACK",
            "rebind.corp, METADATA",
            "local.corp, OWN_ADDRESS",
            "meta.corp, METADATA",
            "0x7f.0x0.0x0.0x1, LOOPBACK",
            "localhost, NOT_LISTED",
    })
    void specialAddressesAreRefusedWhateverTheSpellingEvenWithACatchAllRange(String host, Refusal reason) {
        list.set(AllowList.parse("evil.corp, rebind.corp, mapped.corp, local.corp, meta.corp", "0.0.0.0/0, ::/0",
                "80", "http", ""));
        dns.put("localhost", List.of(ip("127.0.0.1")));
        String h = host.replace("%25", "%");
        if (reason == Refusal.NOT_LISTED) {
            // localhost is not on the list, and the catch-all range does not allow loopback
            assertEquals(Refusal.LOOPBACK, refusal("http", h, 80));
        } else {
            assertEquals(reason, refusal("http", h, 80));
        }
    }

    @Test
    void aRangeInsideTheSpecialBlockAllowsItExplicitly() throws Exception {
        list.set(AllowList.parse("evil.corp", "127.0.0.1/32, 169.254.0.0/16", "80", "http", ""));
        assertEquals(List.of(ip("127.0.0.1")), check.checkHttp("http", "evil.corp", 80).addresses());
        assertEquals("127.0.0.1", check.checkHttp("http", "0x7f.1", 80).host());
        assertEquals(Refusal.LOOPBACK, refusal("http", "127.0.0.2", 80));
        assertEquals("169.254.1.1", check.checkHttp("http", "169.254.1.1", 80).host());
        // The link-local range does not allow the metadata address inside it: that needs its own /32.
        assertEquals(Refusal.METADATA, refusal("http", "169.254.169.254", 80));
        list.set(AllowList.parse("", "169.254.169.254/32", "80", "http", ""));
        assertEquals("169.254.169.254", check.checkHttp("http", "169.254.169.254", 80).host());
    }

    @Test
    void oneBadAddressAmongSeveralRefusesTheName() {
        assertEquals(Refusal.METADATA, refusal("http", "rebind.corp", 80));
    }

    @Test
    void onlyTheCheckedAddressesAreReturnedSoTheNameIsResolvedOnce() throws Exception {
        TargetCheck.Checked c = check.checkHttp("http", "intranet.corp", 80);
        dns.put("intranet.corp", List.of(ip("127.0.0.1"))); // a rebinding answer arrives later
        assertEquals(List.of(ip("10.1.2.3")), c.addresses());
        assertEquals(List.of("intranet.corp"), asked);
    }

    @Test
    void anUnresolvableNameIsAnUnknownHostNotARefusal() {
        list.set(AllowList.parse("nowhere.corp", "", "80", "http", ""));
        assertThrows(UnknownHostException.class, () -> check.checkHttp("http", "nowhere.corp", 80));
    }

    @Test
    void malformedHostsAreRefusedBeforeDns() {
        assertEquals(Refusal.MALFORMED_HOST, refusal("http", "intranet.corp\r\nX: y", 80));
        assertEquals(Refusal.MALFORMED_HOST, refusal("http", "08.1.2.3", 80));
        assertTrue(asked.isEmpty());
    }

    @Test
    void stillAllowedFollowsAChangedList() throws Exception {
        TargetCheck.Checked c = check.checkHttp("http", "intranet.corp", 80);
        AllowList without = AllowList.parse("wiki.corp.example", "", "80", "http", "");
        AllowList with = AllowList.parse("intranet.corp", "", "80", "http", "");
        assertTrue(check.stillAllowed(with, c, false, "http"));
        assertTrue(!check.stillAllowed(without, c, false, "http"));
        assertTrue(!check.stillAllowed(AllowList.parse("intranet.corp", "", "8080", "http", ""), c, false, "http"));
    }

    @Test
    void badEntriesAreNamedWithTheirKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AllowList.parse("a.*.corp", "", "", "", ""));
        assertTrue(e.getMessage().startsWith("allow.hosts: 'a.*.corp'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> AllowList.parse("", "10.0.0.0/33", "", "", ""));
        assertTrue(e.getMessage().startsWith("allow.cidrs:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> AllowList.parse("", "", "0", "", ""));
        assertTrue(e.getMessage().startsWith("allow.ports: '0'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> AllowList.parse("", "", "", "gopher", ""));
        assertTrue(e.getMessage().startsWith("allow.schemes: 'gopher'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> AllowList.parse("", "", "", "", "90-80"));
        assertTrue(e.getMessage().startsWith("allow.connectPorts:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> AllowList.parse("", "corp.example", "", "", ""));
        assertTrue(e.getMessage().startsWith("allow.cidrs:"), e.getMessage());
    }
}
