package com.cloudextender.core.proxy.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

/** The NTLMv2 engine against the published [MS-NLMP] 4.2.4 example, and the MIC rules of 3.1.5.1.2. */
class Ntlmv2Test {
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] SERVER_CHALLENGE = HEX.parseHex("0123456789abcdef");
    private static final byte[] CLIENT_CHALLENGE = HEX.parseHex("aaaaaaaaaaaaaaaa");
    /** 4.2.4: MsvAvNbDomainName "Domain", MsvAvNbComputerName "Server", MsvAvEOL. */
    private static final byte[] TARGET_INFO = concat(pair(2, Ntlmv2.utf16("Domain")), pair(1, Ntlmv2.utf16("Server")),
            new byte[4]);

    @Test
    void responseKeyIsTheSpecificationsNtowfv2() {
        assertEquals("0c868a403bfd7a93a3001ef22ef02e3f",
                HEX.formatHex(Ntlmv2.ntowfv2("User", "Domain", "Password".toCharArray())));
    }

    @Test
    void responseMatchesTheSpecificationsNtProofStrLmv2AndSessionBaseKey() {
        Ntlmv2.Response r = Ntlmv2.response("User", "Domain", "Password".toCharArray(), SERVER_CHALLENGE,
                CLIENT_CHALLENGE, 0, TARGET_INFO);
        assertEquals("68cd0ab851e51c96aabc927bebef6a1c", HEX.formatHex(r.ntProofStr()));
        assertEquals("86c35097ac9cec102554764a57cccc19aaaaaaaaaaaaaaaa", HEX.formatHex(r.lmChallengeResponse()));
        assertEquals("8de40ccadbc14a82f15cb0ad0de95ca3", HEX.formatHex(r.sessionBaseKey()));
        // NTChallengeResponse = NTProofStr || 0101 0000 00000000 time client-challenge 00000000 target-info 00000000
        assertEquals("68cd0ab851e51c96aabc927bebef6a1c" + "0101000000000000" + "0000000000000000"
                + "aaaaaaaaaaaaaaaa" + "00000000" + HEX.formatHex(TARGET_INFO) + "00000000",
                HEX.formatHex(r.ntChallengeResponse()));
    }

    @Test
    void userNameIsUpperCasedButDomainIsNot() {
        assertArrayEquals(Ntlmv2.ntowfv2("USER", "Domain", "Password".toCharArray()),
                Ntlmv2.ntowfv2("user", "Domain", "Password".toCharArray()));
        assertTrue(!Arrays.equals(Ntlmv2.ntowfv2("User", "DOMAIN", "Password".toCharArray()),
                Ntlmv2.ntowfv2("User", "Domain", "Password".toCharArray())));
    }

    @Test
    void authenticateCarriesTheSpecificationsResponseWhenTheServerSendsNoTimestamp() {
        byte[] negotiate = Ntlmv2.negotiate();
        Ntlmv2.Challenge c = Ntlmv2.readChallenge(challenge(TARGET_INFO));
        byte[] m = Ntlmv2.authenticate(negotiate, c, "User", "Domain", "COMPUTER", "Password".toCharArray(),
                CLIENT_CHALLENGE, 0);
        assertEquals(3, le(m).getInt(8));
        assertEquals("86c35097ac9cec102554764a57cccc19aaaaaaaaaaaaaaaa", HEX.formatHex(field(m, 12)));
        assertEquals("68cd0ab851e51c96aabc927bebef6a1c", HEX.formatHex(Arrays.copyOf(field(m, 20), 16)));
        assertArrayEquals(Ntlmv2.utf16("Domain"), field(m, 28));
        assertArrayEquals(Ntlmv2.utf16("User"), field(m, 36));
        assertArrayEquals(Ntlmv2.utf16("COMPUTER"), field(m, 44));
        assertArrayEquals(new byte[16], Arrays.copyOfRange(m, 72, 88), "no MIC without a server timestamp");
    }

    @Test
    void serverTimestampBringsMicFlagZeroLmResponseAndTheServersTime() {
        long serverTime = Ntlmv2.fileTime(Instant.parse("2026-12-05T09:00:00Z"));
        byte[] info = concat(pair(2, Ntlmv2.utf16("CORP")), pair(1, Ntlmv2.utf16("DC1")),
                pair(7, le(8).putLong(serverTime).array()), new byte[4]);
        byte[] negotiate = Ntlmv2.negotiate();
        byte[] challengeMessage = challenge(info);
        Ntlmv2.Challenge c = Ntlmv2.readChallenge(challengeMessage);
        byte[] m = Ntlmv2.authenticate(negotiate, c, "jsmith", "CORP", "WS1", "Pass-jsmith1".toCharArray(),
                CLIENT_CHALLENGE, 42);
        assertArrayEquals(new byte[24], field(m, 12), "LmChallengeResponse is zero when a MIC is sent");
        byte[] nt = field(m, 20);
        assertEquals(serverTime, le(nt).getLong(24), "the blob carries the server's time, not the client's");
        byte[] sentInfo = Arrays.copyOfRange(nt, 44, nt.length - 4);
        assertTrue(HEX.formatHex(sentInfo).contains("0600040002000000"), "MsvAvFlags says a MIC is present");
        // The MIC is HMAC-MD5 under the session base key over the three messages with the MIC field zeroed.
        Ntlmv2.Response r = Ntlmv2.response("jsmith", "CORP", "Pass-jsmith1".toCharArray(), c.serverChallenge(),
                CLIENT_CHALLENGE, serverTime, sentInfo);
        assertArrayEquals(r.ntProofStr(), Arrays.copyOf(nt, 16));
        byte[] zeroed = m.clone();
        Arrays.fill(zeroed, 72, 88, (byte) 0);
        assertArrayEquals(Ntlmv2.hmacMd5(r.sessionBaseKey(), negotiate, challengeMessage, zeroed),
                Arrays.copyOfRange(m, 72, 88));
    }

    @Test
    void challengeWithoutTargetInfoIsRefusedRatherThanAnsweredWithNtlmv1() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Ntlmv2.readChallenge(challenge(new byte[0])));
        assertTrue(e.getMessage().contains("NTLMv1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Ntlmv2.readChallenge(Ntlmv2.negotiate()));
        assertThrows(IllegalArgumentException.class, () -> Ntlmv2.readChallenge("HTTP/1.1".getBytes()));
    }

    @Test
    void fieldPointingOutsideTheChallengeIsRefused() {
        byte[] m = challenge(TARGET_INFO);
        le(m).putInt(44, 5000);
        assertThrows(IllegalArgumentException.class, () -> Ntlmv2.readChallenge(m));
    }

    /** A CHALLENGE_MESSAGE as a server sends it (flags of the 4.2.4 example). */
    static byte[] challenge(byte[] targetInfo) {
        int flags = 0xe28a8233 | (targetInfo.length > 0 ? Ntlmv2.NEGOTIATE_TARGET_INFO : 0);
        if (targetInfo.length == 0) {
            flags &= ~Ntlmv2.NEGOTIATE_TARGET_INFO;
        }
        byte[] target = Ntlmv2.utf16("Domain");
        ByteBuffer b = le(56 + target.length + targetInfo.length);
        b.put("NTLMSSP\0".getBytes()).putInt(2);
        b.putShort((short) target.length).putShort((short) target.length).putInt(56);
        b.putInt(flags).put(SERVER_CHALLENGE).putLong(0);
        b.putShort((short) targetInfo.length).putShort((short) targetInfo.length).putInt(56 + target.length);
        b.put(new byte[] {6, 0, 0x70, 0x17, 0, 0, 0, 15});
        b.put(target).put(targetInfo);
        return b.array();
    }

    static byte[] pair(int id, byte[] value) {
        return concat(le(4).putShort((short) id).putShort((short) value.length).array(), value);
    }

    private static byte[] field(byte[] m, int at) {
        ByteBuffer b = le(m);
        int len = b.getShort(at) & 0xffff;
        int off = b.getInt(at + 4);
        return Arrays.copyOfRange(m, off, off + len);
    }

    private static ByteBuffer le(byte[] m) {
        return ByteBuffer.wrap(m).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        ByteBuffer b = ByteBuffer.allocate(n);
        for (byte[] p : parts) {
            b.put(p);
        }
        return b.array();
    }
}
