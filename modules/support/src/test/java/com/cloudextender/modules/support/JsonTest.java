package com.cloudextender.modules.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class JsonTest {
    /** Modules call prepare() at every start, also after a restart in the same JVM: it must leave the mapper as it was. */
    @Test
    void preparingTwiceLeavesTheMapperReadingAndWritingAsBefore() throws Exception {
        Json.prepare();
        Json.prepare();

        String text = "{\"name\":\"Zoë \\\"Z\\\"\",\"n\":1,\"list\":[true,null,1.5],\"o\":{}}";
        assertEquals(text, Json.text(Json.MAPPER.readTree(text)));
        assertEquals("{}", Json.text(Json.object()));
    }
}
