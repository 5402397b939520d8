package com.cloudextender.core.setup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.cloudextender.core.secret.PrivateFiles;

/**
 * Changes key lines of a properties file in place, keeping comments, order and unrelated keys: a key's active
 * line is rewritten; else a commented-out example line ({@code #key=}) is replaced, so the value sits under its
 * documentation; else the key is appended. A key set to {@code null} is commented out. Writes through a
 * temporary file and an atomic move.
 */
public final class PropertiesFileEditor {
    private static final Pattern KEY_LINE = Pattern.compile("^\\s*(#|!)?\\s*([A-Za-z0-9_.\\-*]+)\\s*[=:\\s].*$|^\\s*(#|!)?\\s*([A-Za-z0-9_.\\-*]+)\\s*$");

    private final List<String> lines;

    private PropertiesFileEditor(List<String> lines) {
        this.lines = lines;
    }

    /** The file's lines, or none when it does not exist yet. */
    public static PropertiesFileEditor open(Path file) throws IOException {
        return new PropertiesFileEditor(Files.exists(file)
                ? new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8)) : new ArrayList<>());
    }

    /** Starts from the given lines (for a file that does not exist yet). */
    public static PropertiesFileEditor of(List<String> lines) {
        return new PropertiesFileEditor(new ArrayList<>(lines));
    }

    /** Sets each key (in the map's order); a {@code null} value comments the key's line out. */
    public PropertiesFileEditor set(Map<String, String> values) {
        values.forEach(this::set);
        return this;
    }

    /** Sets one key; {@code null} comments its line out. */
    public PropertiesFileEditor set(String key, String value) {
        int active = find(key, false);
        if (value == null) {
            if (active >= 0) {
                lines.set(active, "#" + key + "=");
            }
            return this;
        }
        String line = key + "=" + escape(value);
        if (active >= 0) {
            lines.set(active, line);
            return this;
        }
        int example = find(key, true);
        if (example >= 0) {
            lines.set(example, line);
        } else {
            lines.add(line);
        }
        return this;
    }

    /** The text as it will be written. */
    public List<String> lines() {
        return List.copyOf(lines);
    }

    /**
     * Writes atomically, owner-only when new and keeping the mode of an existing file ({@link PrivateFiles});
     * the folder is created when needed.
     */
    public void write(Path file) throws IOException {
        PrivateFiles.writeLines(file, lines);
    }

    /** The index of the key's active line ({@code commented == false}) or of its commented-out line. */
    private int find(String key, boolean commented) {
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = KEY_LINE.matcher(lines.get(i));
            if (!m.matches()) {
                continue;
            }
            boolean isComment = m.group(1) != null || m.group(3) != null;
            String k = m.group(2) != null ? m.group(2) : m.group(4);
            if (isComment == commented && key.equals(k)) {
                // A commented line counts only when it looks like an example setting, not prose.
                if (!commented || lines.get(i).contains("=")) {
                    return i;
                }
            }
        }
        return -1;
    }

    /** Escapes a value for the properties format: backslashes, leading blanks and line breaks. */
    static String escape(String value) {
        StringBuilder b = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case ' ' -> b.append(i == 0 ? "\\ " : " ");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
