package com.cloudextender.modules.directory.lookup;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * An attribute value as the cloud receives it: its text when it is UTF-8, else base64. A binary value
 * (objectSid, jpegPhoto, a certificate) decoded as text would reach the cloud with its invalid bytes
 * replaced, and could not be recovered; in base64 nothing is lost.
 */
public final class AttributeText {
    private AttributeText() {
    }

    /** {@code raw} as text when it is valid UTF-8, otherwise in base64. */
    public static String of(byte[] raw) {
        if (ascii(raw)) {
            return new String(raw, StandardCharsets.US_ASCII); // most values; no decoder needed
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            return Base64.getEncoder().encodeToString(raw);
        }
    }

    private static boolean ascii(byte[] raw) {
        for (byte b : raw) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }
}
