package com.cloudextender.modules.scep.challenge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NdesChallengePageTest {
    private static final String PAGE = "<HTML><Head><Meta HTTP-Equiv=\"Content-Type\" Content=\"text/html; charset=UTF-16\">"
            + "<Title>Network Device Enrollment Service</Title></Head><Body BgColor=#FFFFFF>"
            + "<P> You can retrieve the CA certificate and a challenge password.<P>"
            + "<P> The thumbprint (hash value) for the CA certificate is: <B> 5B8F4A0E 1A4A2A3B 9E0F </B>"
            + "<P> The enrollment challenge password is: <B> 8D4C2B1A0F9E8D7C </B>"
            + "<P> This password can be used only once and will expire within 60 minutes.</Body></HTML>";

    @Test
    void readsTheChallengeFromAUtf16PageWithAByteOrderMark() throws Exception {
        byte[] body = ("\uFEFF" + PAGE).getBytes(StandardCharsets.UTF_16LE);
        assertEquals("8D4C2B1A0F9E8D7C", NdesChallengePage.parse(body));
    }

    @Test
    void readsTheChallengeFromUtf8AndFromUtf16WithoutAByteOrderMark() throws Exception {
        assertEquals("8D4C2B1A0F9E8D7C", NdesChallengePage.parse(PAGE.getBytes(StandardCharsets.UTF_8)));
        assertEquals("8D4C2B1A0F9E8D7C", NdesChallengePage.parse(PAGE.getBytes(StandardCharsets.UTF_16LE)));
    }

    @Test
    void aFullPasswordCacheIsNamedWithWhatToDo() {
        byte[] body = "<HTML><Body><P> The password cache is full. </Body></HTML>".getBytes(StandardCharsets.UTF_16LE);
        String m = assertThrows(ChallengeException.class, () -> NdesChallengePage.parse(body)).getMessage();
        assertTrue(m.contains("The password cache is full") && m.contains("PasswordMax"), m);
    }

    @Test
    void missingPermissionAndUnknownPagesAreExplained() {
        String perm = assertThrows(ChallengeException.class, () -> NdesChallengePage.parse(
                "You do not have sufficient permission to enroll with SCEP.".getBytes(StandardCharsets.UTF_8)))
                .getMessage();
        assertTrue(perm.contains("Enroll permission"), perm);
        String other = assertThrows(ChallengeException.class, () -> NdesChallengePage.parse(
                "<html>IIS welcome</html>".getBytes(StandardCharsets.UTF_8))).getMessage();
        assertTrue(other.contains("mscep_admin"), other);
    }
}
