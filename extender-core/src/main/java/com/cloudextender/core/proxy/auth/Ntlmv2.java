package com.cloudextender.core.proxy.auth;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Locale;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.bouncycastle.crypto.digests.MD4Digest;

/**
 * The NTLMSSP messages of an NTLMv2 client ([MS-NLMP] 2.2 and 3.3.2): NEGOTIATE, reading the CHALLENGE and
 * AUTHENTICATE with an NTLMv2 response and, when the server sends a timestamp, a MIC. Only what a proxy login
 * needs: no signing or sealing, so no key exchange. NTLMv1 and LM responses are never produced, because a
 * domain that refuses them ({@code ntlmv2-only}, the hardened default) would reject the login.
 */
final class Ntlmv2 {
    static final int NEGOTIATE_UNICODE = 0x00000001;
    static final int REQUEST_TARGET = 0x00000004;
    static final int NEGOTIATE_NTLM = 0x00000200;
    static final int NEGOTIATE_ALWAYS_SIGN = 0x00008000;
    static final int NEGOTIATE_EXTENDED_SESSIONSECURITY = 0x00080000;
    static final int NEGOTIATE_TARGET_INFO = 0x00800000;
    static final int NEGOTIATE_VERSION = 0x02000000;
    static final int NEGOTIATE_128 = 0x20000000;
    static final int NEGOTIATE_56 = 0x80000000;

    /** What this client asks for in NEGOTIATE. */
    static final int CLIENT_FLAGS = NEGOTIATE_UNICODE | REQUEST_TARGET | NEGOTIATE_NTLM | NEGOTIATE_ALWAYS_SIGN
            | NEGOTIATE_EXTENDED_SESSIONSECURITY | NEGOTIATE_TARGET_INFO | NEGOTIATE_VERSION | NEGOTIATE_128
            | NEGOTIATE_56;

    private static final byte[] SIGNATURE = "NTLMSSP\0".getBytes(StandardCharsets.US_ASCII);
    // Windows 10.0, NTLM revision 15: a version field is needed for the MIC's place in the message.
    private static final byte[] VERSION = {10, 0, 0, 0, 0, 0, 0, 15};
    private static final int AV_EOL = 0;
    private static final int AV_FLAGS = 6;
    private static final int AV_TIMESTAMP = 7;
    private static final int AV_FLAG_MIC_PRESENT = 0x2;
    private static final int AUTHENTICATE_HEADER = 88; // 64 fixed + 8 version + 16 MIC
    private static final int MIC_OFFSET = 72;

    private Ntlmv2() {
    }

    /** The CHALLENGE message's parts this client uses. */
    record Challenge(byte[] message, int flags, byte[] serverChallenge, byte[] targetInfo) {
    }

    /** The values [MS-NLMP] 3.3.2 computes for one response; exposed for the specification's test vectors. */
    record Response(byte[] ntProofStr, byte[] ntChallengeResponse, byte[] lmChallengeResponse,
            byte[] sessionBaseKey) {
    }

    /** NEGOTIATE_MESSAGE without domain or workstation (they travel in AUTHENTICATE). */
    static byte[] negotiate() {
        ByteBuffer b = le(40);
        b.put(SIGNATURE).putInt(1).putInt(CLIENT_FLAGS);
        b.putLong(0).putLong(0); // domain and workstation fields: empty
        b.put(VERSION);
        return b.array();
    }

    /**
     * Reads a CHALLENGE_MESSAGE.
     *
     * @throws IllegalArgumentException when it is not one, or its fields point outside it
     */
    static Challenge readChallenge(byte[] m) {
        if (m.length < 32 || !Arrays.equals(Arrays.copyOf(m, 8), SIGNATURE)) {
            throw new IllegalArgumentException("not an NTLMSSP message");
        }
        ByteBuffer b = ByteBuffer.wrap(m).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt(8) != 2) {
            throw new IllegalArgumentException("NTLMSSP message type " + b.getInt(8) + " where a CHALLENGE (2) was due");
        }
        int flags = b.getInt(20);
        byte[] serverChallenge = Arrays.copyOfRange(m, 24, 32);
        byte[] targetInfo = new byte[0];
        if ((flags & NEGOTIATE_TARGET_INFO) != 0 && m.length >= 48) {
            targetInfo = field(m, b, 40);
        }
        if (targetInfo.length == 0) {
            // NTLMv2 binds the response to the server's names; a server without them wants NTLMv1, which we never send.
            throw new IllegalArgumentException("the CHALLENGE has no target information, so no NTLMv2 response is "
                    + "possible (the server seems to accept NTLMv1 only)");
        }
        return new Challenge(m.clone(), flags, serverChallenge, targetInfo);
    }

    /**
     * AUTHENTICATE_MESSAGE answering {@code challenge} to {@code negotiate}.
     *
     * @param clientChallenge 8 random bytes
     * @param now             the time as a Windows FILETIME, used when the server sent none
     */
    static byte[] authenticate(byte[] negotiate, Challenge challenge, String user, String domain, String workstation,
            char[] password, byte[] clientChallenge, long now) {
        byte[] serverTime = avPair(challenge.targetInfo(), AV_TIMESTAMP);
        boolean mic = serverTime != null; // [MS-NLMP] 3.1.5.1.2: a server timestamp asks for a MIC
        long time = mic ? ByteBuffer.wrap(serverTime).order(ByteOrder.LITTLE_ENDIAN).getLong() : now;
        byte[] targetInfo = mic ? withMicFlag(challenge.targetInfo()) : challenge.targetInfo();
        Response r = response(user, domain, password, challenge.serverChallenge(), clientChallenge, time, targetInfo);
        // With a MIC, LmChallengeResponse is all zeros (3.3.2): the NT response alone is checked.
        byte[] lm = mic ? new byte[24] : r.lmChallengeResponse();
        int flags = (challenge.flags() & CLIENT_FLAGS) | NEGOTIATE_UNICODE | NEGOTIATE_NTLM | NEGOTIATE_VERSION;
        byte[][] payload = {lm, r.ntChallengeResponse(), utf16(domain), utf16(user), utf16(workstation), new byte[0]};
        int size = AUTHENTICATE_HEADER;
        for (byte[] p : payload) {
            size += p.length;
        }
        ByteBuffer b = le(size);
        b.put(SIGNATURE).putInt(3);
        int offset = AUTHENTICATE_HEADER;
        for (byte[] p : payload) {
            b.putShort((short) p.length).putShort((short) p.length).putInt(offset);
            offset += p.length;
        }
        b.putInt(flags).put(VERSION).put(new byte[16]);
        for (byte[] p : payload) {
            b.put(p);
        }
        byte[] message = b.array();
        if (mic) {
            // Without key exchange the exported session key is the session base key (3.1.5.1.2, 3.4.5.1).
            byte[] code = hmacMd5(r.sessionBaseKey(), negotiate, challenge.message(), message);
            System.arraycopy(code, 0, message, MIC_OFFSET, 16);
        }
        return message;
    }

    /** [MS-NLMP] 3.3.2 ComputeResponse for NTLMv2. */
    static Response response(String user, String domain, char[] password, byte[] serverChallenge,
            byte[] clientChallenge, long time, byte[] targetInfo) {
        byte[] key = ntowfv2(user, domain, password);
        ByteArrayOutputStream temp = new ByteArrayOutputStream();
        temp.writeBytes(new byte[] {1, 1, 0, 0, 0, 0, 0, 0});
        temp.writeBytes(le(8).putLong(time).array());
        temp.writeBytes(clientChallenge);
        temp.writeBytes(new byte[4]);
        temp.writeBytes(targetInfo);
        temp.writeBytes(new byte[4]);
        byte[] blob = temp.toByteArray();
        byte[] proof = hmacMd5(key, serverChallenge, blob);
        byte[] nt = concat(proof, blob);
        byte[] lm = concat(hmacMd5(key, serverChallenge, clientChallenge), clientChallenge);
        return new Response(proof, nt, lm, hmacMd5(key, proof));
    }

    /** NTOWFv2: HMAC-MD5 under MD4(UTF-16LE(password)) of UTF-16LE(upper-case user + domain). */
    static byte[] ntowfv2(String user, String domain, char[] password) {
        byte[] pw = utf16(new String(password));
        MD4Digest md4 = new MD4Digest();
        md4.update(pw, 0, pw.length);
        byte[] hash = new byte[16];
        md4.doFinal(hash, 0);
        Arrays.fill(pw, (byte) 0);
        return hmacMd5(hash, utf16(user.toUpperCase(Locale.ROOT) + domain));
    }

    /** A Windows FILETIME: 100-nanosecond ticks since 1601-01-01 UTC. */
    static long fileTime(java.time.Instant t) {
        long unixTicks = t.getEpochSecond() * 10_000_000L + t.getNano() / 100;
        return unixTicks + 116_444_736_000_000_000L;
    }

    private static byte[] withMicFlag(byte[] info) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean flagged = false;
        ByteBuffer b = ByteBuffer.wrap(info).order(ByteOrder.LITTLE_ENDIAN);
        while (b.remaining() >= 4) {
            int id = b.getShort() & 0xffff;
            int len = b.getShort() & 0xffff;
            if (id == AV_EOL || len > b.remaining()) {
                break;
            }
            byte[] value = new byte[len];
            b.get(value);
            if (id == AV_FLAGS && len == 4) {
                int f = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN).getInt() | AV_FLAG_MIC_PRESENT;
                value = le(4).putInt(f).array();
                flagged = true;
            }
            out.writeBytes(le(4).putShort((short) id).putShort((short) len).array());
            out.writeBytes(value);
        }
        if (!flagged) {
            out.writeBytes(le(8).putShort((short) AV_FLAGS).putShort((short) 4).putInt(AV_FLAG_MIC_PRESENT).array());
        }
        out.writeBytes(new byte[4]); // MsvAvEOL
        return out.toByteArray();
    }

    private static byte[] avPair(byte[] info, int wanted) {
        ByteBuffer b = ByteBuffer.wrap(info).order(ByteOrder.LITTLE_ENDIAN);
        while (b.remaining() >= 4) {
            int id = b.getShort() & 0xffff;
            int len = b.getShort() & 0xffff;
            if (id == AV_EOL || len > b.remaining()) {
                return null;
            }
            byte[] value = new byte[len];
            b.get(value);
            if (id == wanted) {
                return value;
            }
        }
        return null;
    }

    private static byte[] field(byte[] m, ByteBuffer b, int at) {
        int len = b.getShort(at) & 0xffff;
        int offset = b.getInt(at + 4);
        if (offset < 0 || offset > m.length || len > m.length - offset) {
            throw new IllegalArgumentException("an NTLMSSP field points outside the message");
        }
        return Arrays.copyOfRange(m, offset, offset + len);
    }

    static byte[] utf16(String s) {
        return s.getBytes(StandardCharsets.UTF_16LE);
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    static byte[] hmacMd5(byte[] key, byte[]... parts) {
        try {
            Mac mac = Mac.getInstance("HmacMD5");
            mac.init(new SecretKeySpec(key, "HmacMD5"));
            for (byte[] p : parts) {
                mac.update(p);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-MD5 is not available in this Java runtime", e);
        }
    }
}
