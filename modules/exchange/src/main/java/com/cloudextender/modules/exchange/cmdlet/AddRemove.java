package com.cloudextender.modules.exchange.cmdlet;

import java.util.List;

/**
 * A change to a multi-valued property, PowerShell's {@code @{Add=…;Remove=…}}. Immutable.
 *
 * @param add    values to add
 * @param remove values to remove
 */
public record AddRemove(List<String> add, List<String> remove) {
    public AddRemove {
        add = List.copyOf(add);
        remove = List.copyOf(remove);
    }

    public static AddRemove add(String value) {
        return new AddRemove(List.of(value), List.of());
    }

    public static AddRemove remove(String value) {
        return new AddRemove(List.of(), List.of(value));
    }
}
