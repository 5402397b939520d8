package com.cloudextender.devcloud.xmpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;

class SaslPlainTest {
    private static String encode(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void decodesTheThreeParts() {
        SaslPlain plain = SaslPlain.decode(encode("\u0000ext-abc\u0000p4ssword"));

        assertEquals("", plain.authzid());
        assertEquals("ext-abc", plain.authcid());
        assertEquals("p4ssword", plain.password());
        assertEquals("ext-abc", plain.localpart("localhost"));
        assertTrue(plain.authzidMatches("ext-abc", "localhost"));
        assertFalse(plain.toString().contains("p4ssword"));
    }

    @Test
    void acceptsABareJidAsUserAndAnEqualAuthzid() {
        SaslPlain plain = SaslPlain.decode(encode("EXT-abc@localhost\u0000ext-abc@LOCALHOST\u0000pw"));

        assertEquals("ext-abc", plain.localpart("localhost"));
        assertTrue(plain.authzidMatches("ext-abc", "localhost"));
    }

    @Test
    void refusesAnotherDomainAndAnotherAuthzid() {
        assertNull(SaslPlain.decode(encode("\u0000ext-abc@elsewhere\u0000pw")).localpart("localhost"));
        assertFalse(SaslPlain.decode(encode("admin\u0000ext-abc\u0000pw")).authzidMatches("ext-abc", "localhost"));
    }

    @Test
    void rejectsMalformedMessages() {
        assertThrows(IllegalArgumentException.class, () -> SaslPlain.decode("***"));
        assertThrows(IllegalArgumentException.class, () -> SaslPlain.decode(encode("only-one-part")));
        assertThrows(IllegalArgumentException.class, () -> SaslPlain.decode(encode("\u0000\u0000pw")));
    }
}
