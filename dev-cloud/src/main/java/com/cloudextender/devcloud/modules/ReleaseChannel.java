package com.cloudextender.devcloud.modules;

import java.util.Locale;

/** The channel a package is published on; an extender accepts stable only, or stable and pre-release. */
public enum ReleaseChannel {
    STABLE("stable"),
    PRE_RELEASE("pre-release");

    private final String wireName;

    ReleaseChannel(String wireName) {
        this.wireName = wireName;
    }

    /** The name in URLs, JSON and health reports: {@code stable} or {@code pre-release}. */
    public String wireName() {
        return wireName;
    }

    /**
     * The channel named {@code name}.
     *
     * @throws IllegalArgumentException naming the allowed values
     */
    public static ReleaseChannel parse(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (ReleaseChannel c : values()) {
            if (c.wireName.equals(n)) {
                return c;
            }
        }
        throw new IllegalArgumentException("'" + name + "' is not a release channel; use stable or pre-release");
    }

    /**
     * The channel an extender accepts, from its health report's {@code releaseChannel}: anything but
     * {@code pre-release} (including no value) means stable only.
     */
    public static ReleaseChannel acceptedBy(String reported) {
        return PRE_RELEASE.wireName.equalsIgnoreCase(reported == null ? "" : reported.trim()) ? PRE_RELEASE : STABLE;
    }

    /** Whether an extender accepting this channel may run a package published on {@code published}. */
    public boolean accepts(ReleaseChannel published) {
        return this == PRE_RELEASE || published == STABLE;
    }
}
