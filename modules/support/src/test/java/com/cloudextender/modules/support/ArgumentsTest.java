package com.cloudextender.modules.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.cloudextender.api.CommandException;
import com.cloudextender.api.ErrorCode;

class ArgumentsTest {
    private static String message(org.junit.jupiter.api.function.Executable e) {
        CommandException x = assertThrows(CommandException.class, e);
        assertEquals(ErrorCode.INVALID_ARGUMENTS, x.code());
        return x.getMessage();
    }

    @Test
    void readsTypedFields() throws Exception {
        Arguments a = Arguments.parse("{\"user\":\"alice\",\"sans\":[\"a\",\"b\"],\"groups\":true,\"limit\":5}");
        assertEquals("alice", a.requireText("user"));
        assertEquals(List.of("a", "b"), a.texts("sans"));
        assertTrue(a.bool("groups", false));
        assertFalse(a.bool("absent", false));
        assertEquals(5, a.integer("limit", 10, 1, 100));
        assertEquals(10, a.integer("absent", 10, 1, 100));
        assertEquals(Optional.empty(), a.text("absent"));
    }

    @Test
    void everyFailureNamesTheFieldAndNeverEchoesTheValue() throws Exception {
        assertEquals("arguments: not JSON; send a JSON object", message(() -> Arguments.parse("nope")));
        assertEquals("arguments: not a JSON object; send a JSON object", message(() -> Arguments.parse("[1]")));
        Arguments a = Arguments.parse("{\"password\":\"\",\"n\":\"S3cret!\",\"limit\":500,\"flag\":\"yes\",\"sans\":[1]}");
        assertEquals("password: missing or empty; it is required", message(() -> a.requireText("password")));
        String notNumber = message(() -> a.integer("n", 0, 0, 10));
        assertEquals("n: not a whole number", notNumber);
        assertFalse(notNumber.contains("S3cret!"));
        assertEquals("limit: 500 is out of range; allowed 1 to 100", message(() -> a.integer("limit", 1, 1, 100)));
        assertEquals("flag: not true or false", message(() -> a.bool("flag", false)));
        assertEquals("sans: holds a value that is not a string; send strings only", message(() -> a.texts("sans")));
    }
}
