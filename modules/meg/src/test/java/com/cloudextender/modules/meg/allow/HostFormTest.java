package com.cloudextender.modules.meg.allow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class HostFormTest {

    @ParameterizedTest
    @CsvSource({
            "127.0.0.1, 127.0.0.1",
            "2130706433, 127.0.0.1",
            "0177.0.0.1, 127.0.0.1",
            "0x7f.1, 127.0.0.1",
            "0x7F000001, 127.0.0.1",
            "127.1, 127.0.0.1",
            "127.0.1, 127.0.0.1",
            "017700000001, 127.0.0.1",
            "0, 0.0.0.0",
            "0x0.0, 0.0.0.0",
            "169.254.43518, 169.254.169.254",
            "0xa9.0xfe.0xa9.0xfe, 169.254.169.254",
            "2852039166, 169.254.169.254",
            "127.0.0.1., 127.0.0.1",
            "[::ffff:127.0.0.1], 127.0.0.1",
            "[::ffff:7f00:1], 127.0.0.1",
            "::ffff:169.254.169.254, 169.254.169.254",
            "[fe80::1%eth0], fe80:0:0:0:0:0:0:1",
            "[0:0:0:0:0:0:0:1], 0:0:0:0:0:0:0:1",
            "[fd00:ec2::254], fd00:ec2:0:0:0:0:0:254",
    })
    void numericSpellingsBecomeTheirAddress(String raw, String address) throws Exception {
        HostForm f = HostForm.parse(raw);
        assertTrue(f.isNumeric(), raw);
        assertEquals(InetAddress.getByName(address), f.address(), raw);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.2.3.4.5", "256.0.0.1", "1.2.3.256", "08.0.0.1", "0x7f.0x1g.0x1", "host.123", "1.2.16777216",
            "4294967296", "[::1", "[::1]x", "[12345::]", "::gg", "a b", "a/b", "a@b", "a%b", "a..b", ".a", "-a.b", "a-.b",
            "", "x\r\nHost: evil", "a\u0000b"})
    void malformedHostsAreRefused(String raw) {
        RefusedException e = assertThrows(RefusedException.class, () -> HostForm.parse(raw));
        assertEquals(Refusal.MALFORMED_HOST, e.reason());
        assertFalse(e.getMessage().contains("\r"), "control characters are escaped in: " + e.getMessage());
    }

    @Test
    void namesAreLowerCasedWithoutTheTrailingDotAndInternationalNamesInAscii() throws Exception {
        assertEquals("intranet.corp.example", HostForm.parse("Intranet.CORP.example.").name());
        assertEquals("xn--bcher-kva.example", HostForm.parse("bücher.example").name());
        assertFalse(HostForm.parse("wiki").isNumeric());
        assertFalse(HostForm.parse("1x.example").isNumeric());
    }

    @ParameterizedTest
    @CsvSource({
            "::ffff:10.1.2.3, 10.1.2.3",
            "::10.1.2.3, 10.1.2.3",
            "64:ff9b::7f00:1, 127.0.0.1",
            "2002:7f00:1::, 127.0.0.1",
            "2001:db8::1, 2001:db8::1",
    })
    void embeddedIpv4IsWhatIsChecked(String v6, String checked) throws Exception {
        assertEquals(InetAddress.getByName(checked), HostForm.effective(InetAddress.getByName(v6)));
    }
}
