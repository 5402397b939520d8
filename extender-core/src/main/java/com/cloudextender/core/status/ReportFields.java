package com.cloudextender.core.status;

import java.util.List;
import java.util.Map;

/**
 * Typed reads from the {@code core/status} report, which is a JSON-shaped map: a missing or differently
 * typed field reads as empty, so that the page shows what exists and never fails on a new field.
 */
final class ReportFields {
    private ReportFields() {
    }

    static String text(Map<?, ?> m, String key) {
        Object v = m == null ? null : m.get(key);
        return v == null ? "" : v.toString();
    }

    static double number(Map<?, ?> m, String key) {
        Object v = m == null ? null : m.get(key);
        return v instanceof Number n ? n.doubleValue() : 0;
    }

    static Map<?, ?> map(Map<?, ?> m, String key) {
        Object v = m == null ? null : m.get(key);
        return v instanceof Map<?, ?> x ? x : Map.of();
    }

    @SuppressWarnings("unchecked")
    static List<Map<?, ?>> maps(Map<?, ?> m, String key) {
        Object v = m == null ? null : m.get(key);
        if (!(v instanceof List<?> list)) {
            return List.of();
        }
        return (List<Map<?, ?>>) (List<?>) list.stream().filter(x -> x instanceof Map<?, ?>).toList();
    }
}
