package com.cloudextender.modules.scep.challenge;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the one-time challenge out of NDES's {@code mscep_admin} HTML page. The page states "The
 * enrollment challenge password is: <B> 0123ABCD… </B>"; when NDES has handed out its whole cache of
 * unused passwords it says "The password cache is full" instead. The page is served in UTF-16 by some
 * IIS versions, so the bytes are decoded by their byte order mark.
 */
public final class NdesChallengePage {
    private static final Pattern CHALLENGE = Pattern.compile(
            "challenge\\s+password\\s+is:?\\s*(?:<[^>]*>\\s*)*([A-Za-z0-9]{8,64})", Pattern.CASE_INSENSITIVE);

    private NdesChallengePage() {
    }

    /** The challenge on the page {@code body}. */
    public static String parse(byte[] body) throws ChallengeException {
        String html = decode(body);
        String lower = html.toLowerCase(Locale.ROOT);
        if (lower.contains("password cache is full")) {
            throw new ChallengeException("NDES says \"The password cache is full\": it has handed out its maximum of"
                    + " unused one-time challenges. Wait for them to expire (60 minutes by default), or raise"
                    + " PasswordMax under HKLM\\Software\\Microsoft\\Cryptography\\MSCEP, or restart IIS on the NDES"
                    + " server to clear the cache");
        }
        if (lower.contains("do not have sufficient permission")) {
            throw new ChallengeException("NDES refuses to hand out a challenge to the configured challengeUser: the"
                    + " account needs Enroll permission on the NDES certificate template and must be a local"
                    + " administrator of the NDES server (or in the CA's enrollment agent group)");
        }
        Matcher m = CHALLENGE.matcher(html);
        if (!m.find()) {
            throw new ChallengeException("the challenge page did not contain a challenge password; check that"
                    + " challengeUrl points to the NDES mscep_admin page (…/certsrv/mscep_admin/)");
        }
        return m.group(1);
    }

    private static String decode(byte[] b) {
        Charset cs = StandardCharsets.UTF_8;
        int skip = 0;
        if (b.length >= 2 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xfe) {
            cs = StandardCharsets.UTF_16LE;
            skip = 2;
        } else if (b.length >= 2 && (b[0] & 0xff) == 0xfe && (b[1] & 0xff) == 0xff) {
            cs = StandardCharsets.UTF_16BE;
            skip = 2;
        } else if (b.length >= 2 && b[1] == 0 && b[0] != 0) {
            cs = StandardCharsets.UTF_16LE; // UTF-16 without a byte order mark: ASCII text has every other byte 0
        }
        return new String(b, skip, b.length - skip, cs);
    }
}
