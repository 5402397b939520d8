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
