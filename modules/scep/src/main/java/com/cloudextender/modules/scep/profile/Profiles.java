package com.cloudextender.modules.scep.profile;

import com.cloudextender.api.CommandException;
import com.cloudextender.api.ErrorCode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The open profiles by name, for the actions to look up. Immutable once built; thread-safe. */
public final class Profiles {
    private final Map<String, ProfileServices> byName;

    public Profiles(Map<String, ProfileServices> byName) {
        this.byName = Collections.unmodifiableMap(new LinkedHashMap<>(byName));
    }

    /** The profile {@code name}, or an {@link ErrorCode#INVALID_ARGUMENTS} failure naming the configured ones. */
    public ProfileServices get(String name) throws CommandException {
        ProfileServices p = byName.get(name);
        if (p == null) {
            throw new CommandException(ErrorCode.INVALID_ARGUMENTS, "profile: '" + name
                    + "' is not configured; configured profiles: " + String.join(", ", byName.keySet()));
        }
        return p;
    }

    /** All profiles, in the configured order. */
    public Map<String, ProfileServices> all() {
        return byName;
    }
}
