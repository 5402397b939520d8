package com.cloudextender.devcloud.registration;

import java.time.Instant;
import java.util.Locale;

/**
 * A code with which an extender of one customer registers. By default it registers one extender and is
 * then spent; a reusable code (for demonstrations and scripts) registers any number until it expires.
 *
 * @param code the code, upper case, e.g. {@code K7Q2-9XHD-M3TB-4RWA}
 * @param customer the customer the registered extenders belong to
 * @param expiresAt after this instant the code is refused
 * @param reusable whether the code stays valid after a registration
 * @param used whether a registration used it already
 */
public record ActivationCode(String code, String customer, Instant expiresAt, boolean reusable, boolean used) {
    /** Whether the code can still be used at {@code now}. */
    public boolean isValidAt(Instant now) {
        return now.isBefore(expiresAt) && (reusable || !used);
    }

    /** This code after a registration used it. */
    ActivationCode spent() {
        return new ActivationCode(code, customer, expiresAt, reusable, true);
    }

    /** The form in which codes are stored and compared: trimmed, upper case. */
    static String normalise(String code) {
        return code.trim().toUpperCase(Locale.ROOT);
    }
}
