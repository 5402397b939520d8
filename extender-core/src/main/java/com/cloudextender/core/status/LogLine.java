package com.cloudextender.core.status;

import java.time.Instant;

/** One log event as the status page shows it. Immutable. */
public record LogLine(Instant time, String level, String thread, String logger, String message) {
}
