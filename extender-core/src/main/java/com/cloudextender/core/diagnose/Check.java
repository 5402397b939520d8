package com.cloudextender.core.diagnose;

/**
 * One line of the diagnose report.
 *
 * @param name   what was checked, e.g. "DNS"
 * @param level  OK, WARN or FAIL
 * @param detail what was found
 * @param fix    what to do about a WARN or FAIL; empty for OK
 */
public record Check(String name, Level level, String detail, String fix) {
    /** How a check ended. */
    public enum Level { OK, WARN, FAIL }

    static Check ok(String name, String detail) {
        return new Check(name, Level.OK, detail, "");
    }

    static Check warn(String name, String detail, String fix) {
        return new Check(name, Level.WARN, detail, fix);
    }

    static Check fail(String name, String detail, String fix) {
        return new Check(name, Level.FAIL, detail, fix);
    }
}
