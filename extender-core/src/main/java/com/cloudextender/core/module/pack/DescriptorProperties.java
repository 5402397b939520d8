package com.cloudextender.core.module.pack;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The raw {@code module.properties} of a package, read strictly: UTF-8 only, no key written twice,
 * and every key consumed as it is read, so that {@link #leftover()} names what no one understood
 * (usually a misspelt key).
 */
final class DescriptorProperties {
    private final TreeMap<String, String> remaining;

    private DescriptorProperties(TreeMap<String, String> values) {
        this.remaining = values;
    }

    /**
     * Reads {@code in}.
     *
     * @throws IllegalArgumentException for a key written twice or text that is not UTF-8
     * @throws IOException              when {@code in} cannot be read
     */
    static DescriptorProperties read(InputStream in) throws IOException {
        TreeMap<String, String> values = new TreeMap<>();
        List<String> duplicates = new ArrayList<>();
        // Properties silently keeps the last of two equal keys; this one remembers them instead.
        Properties strict = new Properties() {
            private static final long serialVersionUID = 1L;

            @Override
            public synchronized Object put(Object key, Object value) {
                if (values.put((String) key, ((String) value).strip()) != null) {
                    duplicates.add((String) key);
                }
                return null;
            }
        };
        Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));
        try {
            strict.load(reader);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IllegalArgumentException("the descriptor is not UTF-8 text");
        }
        if (!duplicates.isEmpty()) {
            throw new IllegalArgumentException("property [" + duplicates.get(0) + "] is written twice");
        }
        return new DescriptorProperties(values);
    }

    /** Consumes {@code key}; empty when it is absent or blank. */
    Optional<String> take(String key) {
        String v = remaining.remove(key);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v);
    }

    /** The keys not consumed yet that start with {@code prefix}, in order. */
    List<String> keysStartingWith(String prefix) {
        List<String> keys = new ArrayList<>();
        for (String k : remaining.tailMap(prefix, true).keySet()) {
            if (!k.startsWith(prefix)) {
                break;
            }
            keys.add(k);
        }
        return keys;
    }

    /** The first key nobody consumed, if any. */
    Optional<String> leftover() {
        return remaining.isEmpty() ? Optional.empty() : Optional.of(remaining.firstKey());
    }
}
