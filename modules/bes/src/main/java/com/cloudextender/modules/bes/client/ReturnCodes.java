package com.cloudextender.modules.bes.client;

import com.cloudextender.modules.bes.wire.ReturnStatus;
import java.util.Locale;

/**
 * Decodes BWS return codes into what they mean for the caller. {@code SUCCESS} is the only code that
 * is success; a code that names a missing or unknown object is the caller's input
 * ({@code NOT_FOUND}); a code that names an invalid value is {@code INVALID_PARAMETER}; every other
 * code, known or not, is a failure on the server ({@code FAILED}) and is never taken for success.
 */
public final class ReturnCodes {
    private ReturnCodes() {
    }

    /** The module's reason for a non-success {@code code}. */
    public static String reasonOf(String code) {
        String c = code == null ? "" : code.toUpperCase(Locale.ROOT);
        if (c.contains("NOT_FOUND") || c.contains("UNKNOWN_") || c.contains("DOES_NOT_EXIST") || c.contains("NO_SUCH")) {
            return "NOT_FOUND";
        }
        if (c.startsWith("INVALID") || c.contains("_INVALID") || c.contains("NOT_VALID")) {
            return "INVALID_PARAMETER";
        }
        return "FAILED";
    }

    /** A clear sentence for one failed status: the code, the server's message, the object it concerns. */
    public static String describe(String operation, ReturnStatus s, String object) {
        String code = s == null || s.code == null ? "(no return status)" : s.code;
        String message = s == null || s.message == null || s.message.isBlank() ? "" : ": " + s.message.trim();
        return operation + (object == null ? "" : " for " + object) + " returned " + code + message;
    }

    /** Throws the decoded failure unless {@code s} is SUCCESS. */
    public static void require(String operation, ReturnStatus s, String object) throws BesException {
        if (s == null || !s.success()) {
            throw new BesException(s == null ? "FAILED" : reasonOf(s.code), describe(operation, s, object));
        }
    }
}
