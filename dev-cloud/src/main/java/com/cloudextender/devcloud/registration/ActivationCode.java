package com.cloudextender.devcloud.registration;

import java.time.Instant;
import java.util.Locale;

/**
 * A code with which extenders of one customer register. It can be used any number of times until it
 * expires; each use creates a new extender.
 *
 * @param code the code, upper case, e.g. {@code K7Q2-9XHD-M3TB-4RWA}
 * @param customer the customer the registered extenders belong to
 * @param expiresAt after this instant the code is refused
 */
public record ActivationCode(String code, String customer, Instant expiresAt) {
    /** Whether the code can still be used at {@code now}. */
    public boolean isValidAt(Instant now) {
        return now.isBefore(expiresAt);
    }

    /** The form in which codes are stored and compared: trimmed, upper case. */
    static String normalise(String code) {
        return code.trim().toUpperCase(Locale.ROOT);
    }
}
