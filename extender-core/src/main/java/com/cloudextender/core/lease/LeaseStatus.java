package com.cloudextender.core.lease;

/**
 * One lease as this extender sees it, for the status page and {@code core/status}.
 *
 * @param name        the lease
 * @param held        whether this extender holds it now
 * @param generation  the generation last granted to this extender (0: never, or the cloud grants no leases)
 * @param validMillis how long the lease stays held without another confirmed renewal (0 when not held)
 * @param holder      the extender the cloud named as holder when it refused the lease; null otherwise
 * @param fenced      false when the cloud does not grant leases and the work runs here unfenced
 */
public record LeaseStatus(String name, boolean held, long generation, long validMillis, String holder, boolean fenced) {
    /** As in {@code core/status} and the status page: {@code name, held, generation, validMillis, holder, fenced}. */
    public java.util.Map<String, Object> report() {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("name", name);
        m.put("held", held);
        m.put("generation", generation);
        m.put("validMillis", validMillis);
        m.put("holder", holder);
        m.put("fenced", fenced);
        return m;
    }
}
