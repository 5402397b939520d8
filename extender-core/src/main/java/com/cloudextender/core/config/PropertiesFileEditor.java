package com.cloudextender.core.config;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.cloudextender.core.secret.PrivateFiles;

/**
 * Changes key lines of a properties file in place, keeping comments, order and unrelated keys: a key's active
 * line is rewritten; else a commented-out example line ({@code #key=}) is replaced, so the value sits under its
 * documentation; else the key is appended. A key set to {@code null} is commented out. Lines that continue a
 * value (after a line ending in a backslash) are part of that value, as when the file is read. Writes through
 * a temporary file and an atomic move.
 */
public final class PropertiesFileEditor {
    /** Blanks as the properties format knows them: {@code \\s} would also take U+000B, which is part of a key. */
    private static final String BLANK = "[ \\t\\f]";
    private static final Pattern KEY_LINE = Pattern.compile(("^B*(#|!)?B*([A-Za-z0-9_.\\-*]+)B*[=:B].*$"
            + "|^B*(#|!)?B*([A-Za-z0-9_.\\-*]+)B*$").replace("B", BLANK));

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
            for (; active >= 0; active = find(key, false)) {
                replace(active, "#" + key + "=");
            }
            return this;
        }
        String line = key + "=" + escape(value);
        if (active >= 0) {
            replace(active, line);
            return this;
        }
        int example = find(key, true);
        if (example >= 0) {
            lines.set(example, line);
        } else {
            // A last line left continued (ending in a backslash) would swallow ours: go before it.
            int at = lines.size();
            while (at > 0 && continues(at)) {
                at--;
            }
            lines.add(at, line);
        }
        return this;
    }

    /**
     * Rewrites values in place: for every active logical line, {@code rewrite} gets the key and value as the
     * file is read (escapes decoded, continuation lines joined) and answers the value to keep; a different
     * answer replaces the whole logical line with {@code key=value}. Reading the file the way the format does
     * is what makes this safe for secrets: a key spelt with an escape or a value continued onto the next line
     * is still seen.
     *
     * @return whether any line changed
     */
    public boolean rewriteValues(java.util.function.BinaryOperator<String> rewrite) {
        boolean changed = false;
        boolean[] continuation = continuations();
        for (int i = 0; i < lines.size(); i++) {
            if (continuation[i]) {
                continue;
            }
            Map.Entry<String, String> entry = activeEntry(i, continuation);
            if (entry == null) {
                continue;
            }
            String now = rewrite.apply(entry.getKey(), entry.getValue());
            if (now != null && !now.equals(entry.getValue())) {
                replace(i, escapeKey(entry.getKey()) + "=" + escape(now));
                continuation = continuations();
                changed = true;
            }
        }
        return changed;
    }

    /** Replaces the logical line starting at {@code index}, with the lines that continue it. */
    private void replace(int index, String line) {
        int end = index + 1;
        while (end < lines.size() && continues(end)) {
            end++;
        }
        lines.subList(index + 1, end).clear();
        lines.set(index, line);
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

    /**
     * The index of the key's active line ({@code commented == false}) or of its commented-out line; the
     * last active one, since the last wins when the file is read. A line that continues the one before it
     * (which ends with an odd number of backslashes) is part of that line's value, not a key line. An
     * active line's key is read as {@link Properties} reads it, escapes included: {@code \a=1} sets {@code a}.
     */
    private int find(String key, boolean commented) {
        boolean[] continuation = continuations();
        int found = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (continuation[i]) {
                continue;
            }
            if (!commented) {
                if (key.equals(activeKey(i, continuation))) {
                    found = i;
                }
                continue;
            }
            Matcher m = KEY_LINE.matcher(lines.get(i));
            // A commented line counts only when it looks like an example setting, not prose.
            if (m.matches() && (m.group(1) != null || m.group(3) != null)
                    && key.equals(m.group(2) != null ? m.group(2) : m.group(4)) && lines.get(i).contains("=")) {
                return i;
            }
        }
        return found;
    }

    /**
     * The key the logical line starting at {@code index} sets when the file is read, or {@code null} for a
     * comment, a blank line or a line the format cannot read. The format itself reads it, so escaped key
     * characters and keys continued onto the next line count as they do for the extender.
     */
    private String activeKey(int index, boolean[] continuation) {
        Map.Entry<String, String> entry = activeEntry(index, continuation);
        return entry == null ? null : entry.getKey();
    }

    /** The key and value the logical line starting at {@code index} sets, as {@link #activeKey} reads them. */
    private Map.Entry<String, String> activeEntry(int index, boolean[] continuation) {
        String first = stripBlanks(lines.get(index));
        if (first.isEmpty() || first.charAt(0) == '#' || first.charAt(0) == '!') {
            return null;
        }
        int end = index + 1;
        while (end < lines.size() && continuation[end]) {
            end++;
        }
        Properties one = new Properties();
        try {
            one.load(new StringReader(String.join("\n", lines.subList(index, end)) + "\n"));
        } catch (IOException | IllegalArgumentException e) { // a malformed unicode escape: the file is unreadable anyway
            return null;
        }
        return one.stringPropertyNames().stream().findFirst()
                .map(key -> Map.entry(key, one.getProperty(key))).orElse(null);
    }

    /** True when line {@code index} (or a line added there) continues the logical line before it. */
    private boolean continues(int index) {
        return continuations()[index];
    }

    /** For each line and for one added at the end: whether it continues the logical line before it. */
    private boolean[] continuations() {
        boolean[] out = new boolean[lines.size() + 1];
        boolean continued = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String content = stripBlanks(line);
            if (continued) {
                continued = !content.isEmpty() && endsWithOddBackslashes(line); // a blank line ends it
            } else {
                continued = !content.isEmpty() && content.charAt(0) != '#' && content.charAt(0) != '!'
                        && endsWithOddBackslashes(line);
            }
            out[i + 1] = continued;
        }
        return out;
    }

    /** Without the leading blanks the properties format skips (space, tab, form feed). */
    private static String stripBlanks(String line) {
        int i = 0;
        while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t' || line.charAt(i) == '\f')) {
            i++;
        }
        return line.substring(i);
    }

    private static boolean endsWithOddBackslashes(String line) {
        int n = 0;
        for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) {
            n++;
        }
        return n % 2 == 1;
    }

    /** Escapes a key for the properties format: as a value, and the separators that would end it. */
    static String escapeKey(String key) {
        StringBuilder b = new StringBuilder(key.length());
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            switch (c) {
                case '=', ':', '#', '!', ' ' -> b.append('\\').append(c);
                default -> b.append(escape(String.valueOf(c)));
            }
        }
        return b.toString();
    }

    /** Escapes a value for the properties format: backslashes, blanks that reading would skip, and line breaks. */
    static String escape(String value) {
        StringBuilder b = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\f' -> b.append("\\f");
                case ' ' -> b.append(i == 0 ? "\\ " : " ");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
