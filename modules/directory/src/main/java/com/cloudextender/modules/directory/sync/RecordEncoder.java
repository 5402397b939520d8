package com.cloudextender.modules.directory.sync;

import com.cloudextender.modules.directory.lookup.StreamedJson;
import com.cloudextender.modules.support.Json;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;

/**
 * Writes JSON objects to compact UTF-8 bytes through one generator and one buffer, both reused: a sync
 * encodes every entry, and a new generator per entry cost as much as the writing itself. Not
 * thread-safe: one per sync run. After a writer fails, the encoder must not be used again.
 */
final class RecordEncoder {
    private final ByteArrayBuilder buffer = new ByteArrayBuilder(4096);
    private final JsonGenerator generator;

    RecordEncoder() {
        try {
            generator = Json.MAPPER.getFactory().createGenerator(buffer);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a JSON generator in memory: " + e.getMessage(), e);
        }
        generator.setRootValueSeparator(null); // one object per call, nothing between them
    }

    /** The object {@code writer} writes, as compact UTF-8 JSON. */
    byte[] encode(StreamedJson.ObjectWriter writer) throws IOException {
        buffer.reset();
        writer.write(generator);
        generator.flush();
        return buffer.toByteArray();
    }
}
