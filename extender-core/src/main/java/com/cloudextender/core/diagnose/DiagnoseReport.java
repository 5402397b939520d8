package com.cloudextender.core.diagnose;

import java.util.List;

/** The checks as readable text: one line per check, and under a WARN or FAIL what to fix. */
public record DiagnoseReport(List<Check> checks) {
    public DiagnoseReport {
        checks = List.copyOf(checks);
    }

    /** True when no check failed (warnings allowed). */
    public boolean passed() {
        return checks.stream().noneMatch(c -> c.level() == Check.Level.FAIL);
    }

    /** The report text. */
    public String text() {
        StringBuilder b = new StringBuilder();
        for (Check c : checks) {
            b.append(String.format("%-5s %-18s %s%n", c.level(), c.name(), c.detail()));
            if (!c.fix().isEmpty()) {
                b.append(String.format("      %-18s fix: %s%n", "", c.fix()));
            }
        }
        long fails = checks.stream().filter(c -> c.level() == Check.Level.FAIL).count();
        long warns = checks.stream().filter(c -> c.level() == Check.Level.WARN).count();
        b.append(fails == 0 && warns == 0 ? "All checks passed." : fails + " failed, " + warns + " warning(s).")
                .append(System.lineSeparator());
        return b.toString();
    }
}
