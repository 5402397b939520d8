package com.cloudextender.modules.directory.lookup;

import com.cloudextender.modules.support.Json;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Turns a streaming JSON writer into a tree, so that one writer serves both the sync (which streams
 * every entry straight to its chunk) and the actions that answer with a tree.
 */
public final class StreamedJson {
    private StreamedJson() {
    }

    /** Writes one JSON object. */
    @FunctionalInterface
    public interface ObjectWriter {
        void write(JsonGenerator g) throws IOException;
    }

    /**
     * Writes {@code raw} as a JSON string straight from its bytes when they are ASCII and {@code g}
     * writes bytes (no String in between: the sync writes millions of values), and returns true;
     * otherwise writes nothing and returns false, and the caller decodes the value its own way. The
     * JSON text is the same as for the decoded String.
     */
    public static boolean writeAscii(JsonGenerator g, byte[] raw) throws IOException {
        if (g instanceof TokenBuffer) {
            return false; // it keeps Strings, not bytes
        }
        for (byte b : raw) {
            if (b < 0) {
                return false;
            }
        }
        g.writeUTF8String(raw, 0, raw.length);
        return true;
    }

    /** The object {@code writer} writes, as a tree. */
    public static ObjectNode tree(ObjectWriter writer) {
        try (TokenBuffer buffer = new TokenBuffer(Json.MAPPER, false)) {
            writer.write(buffer);
            return (ObjectNode) Json.MAPPER.readTree(buffer.asParser());
        } catch (IOException e) {
            // Only the generator's own checks can fail here: nothing is read or written outside memory.
            throw new UncheckedIOException("cannot build a JSON object in memory: " + e.getMessage(), e);
        }
    }
}
