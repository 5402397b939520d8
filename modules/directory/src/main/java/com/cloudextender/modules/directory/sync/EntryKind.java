package com.cloudextender.modules.directory.sync;

import java.util.Locale;

/** What a synchronised entry is; the JSON name travels in each record's {@code type}. */
enum EntryKind {
    OU('o'), USER('u'), GROUP('g');

    private final char code;

    EntryKind(char code) {
        this.code = code;
    }

    char code() {
        return code;
    }

    String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    static EntryKind ofCode(char c) {
        for (EntryKind k : values()) {
            if (k.code == c) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown entry kind code '" + c + "' in the sync baseline");
    }
}
