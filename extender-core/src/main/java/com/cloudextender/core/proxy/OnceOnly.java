package com.cloudextender.core.proxy;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers which texts were already reported, so that a bad proxy entry met on every connection is
 * logged once rather than every time. Bounded: a script could return a different bad entry per host.
 */
final class OnceOnly {
    private static final int LIMIT = 256;

    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    /** True the first time {@code text} is given (and while fewer than a few hundred texts were seen). */
    boolean first(String text) {
        return seen.size() < LIMIT && seen.add(text);
    }
}
