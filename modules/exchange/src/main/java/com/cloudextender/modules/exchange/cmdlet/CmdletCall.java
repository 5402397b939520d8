package com.cloudextender.modules.exchange.cmdlet;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One cmdlet invocation as data: an allow-listed cmdlet and its parameters by name. Values are typed
 * ({@link String}, {@link Boolean} for switches and booleans, {@link Integer}, a {@link List} of
 * strings, {@link AddRemove}, or {@link Unlimited}), never script text: a backend passes them as values,
 * so nothing in a value can be run. Immutable.
 *
 * @param cmdlet     the cmdlet
 * @param parameters parameter name to value, in order
 */
public record CmdletCall(Cmdlet cmdlet, Map<String, Object> parameters) {
    /** PowerShell's {@code -ResultSize Unlimited}. */
    public enum Unlimited { UNLIMITED }

    public CmdletCall {
        Objects.requireNonNull(cmdlet, "cmdlet");
        Map<String, Object> copy = new LinkedHashMap<>();
        parameters.forEach((name, value) -> {
            if (!name.matches("[A-Za-z][A-Za-z0-9]{0,63}")) {
                throw new IllegalArgumentException(cmdlet.cmdletName() + ": '" + name + "' is not a parameter name");
            }
            copy.put(name, check(cmdlet, name, value));
        });
        parameters = Collections.unmodifiableMap(copy);
    }

    /** A call of {@code cmdlet} with name, value pairs. */
    public static CmdletCall of(Cmdlet cmdlet, Object... nameValues) {
        if (nameValues.length % 2 != 0) {
            throw new IllegalArgumentException("parameters come in name, value pairs");
        }
        Map<String, Object> p = new LinkedHashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            p.put((String) nameValues[i], nameValues[i + 1]);
        }
        return new CmdletCall(cmdlet, p);
    }

    private static Object check(Cmdlet cmdlet, String name, Object value) {
        if (value instanceof String || value instanceof Boolean || value instanceof Integer
                || value instanceof AddRemove || value instanceof Unlimited) {
            return value;
        }
        if (value instanceof List<?> list && list.stream().allMatch(String.class::isInstance)) {
            return List.copyOf(list);
        }
        throw new IllegalArgumentException(cmdlet.cmdletName() + " -" + name + ": a "
                + (value == null ? "null" : value.getClass().getSimpleName())
                + " is not a parameter value; use text, true/false, a whole number, a list of texts or Add/Remove");
    }

    @Override
    public String toString() {
        return cmdlet.cmdletName() + " " + parameters.keySet(); // values may identify people: not logged
    }
}
