package com.cloudextender.soak;

/**
 * Something the soak did to the extender, for events.csv and the log.
 *
 * @param minute minutes since the load began
 * @param kind   {@code cut}, {@code sync} or {@code swap}
 * @param detail what came of it, e.g. the reconnect time
 */
record SoakEvent(double minute, String kind, String detail) {
}
