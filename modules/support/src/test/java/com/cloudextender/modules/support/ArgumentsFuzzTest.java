package com.cloudextender.modules.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Timeout;

import com.cloudextender.api.CommandException;
import com.cloudextender.api.ErrorCode;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Any arguments text through every typed reader of {@link Arguments}: each read gives a value of the asked
 * type or an {@link ErrorCode#INVALID_ARGUMENTS} failure naming the field, nothing else; a message never
 * repeats a text value it was given (it may be a password); what a reader returns is what the JSON holds.
 */
class ArgumentsFuzzTest {
    private static final String[] FIELDS = {"text", "user", "password", "list", "flag", "count", ""};

    @FuzzTest
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void everyReaderGivesAValueOrANamedError(FuzzedDataProvider data) throws Exception {
        String name = data.consumeBoolean() ? data.pickValue(FIELDS) : data.consumeString(12);
        int min = data.consumeInt();
        int max = data.consumeInt();
        int otherwise = data.consumeInt();
        String text = data.consumeRemainingAsString();
        Arguments args;
        try {
            args = Arguments.parse(text);
        } catch (CommandException e) {
            assertEquals(ErrorCode.INVALID_ARGUMENTS, e.code());
            return;
        }
        JsonNode field = args.json().get(name);
        List<String> texts = new ArrayList<>();
        args.json().findValues(name).forEach(v -> collectTexts(v, texts));
        check(name, texts, () -> {
            String v = args.text(name).orElseThrow();
            assertEquals(field.asText(), v);
        });
        check(name, texts, () -> assertFalse(args.requireText(name).isBlank()));
        check(name, texts, () -> assertEquals(field == null || field.isNull() ? 0 : field.size(), args.texts(name).size()));
        check(name, texts, () -> args.bool(name, false));
        check(name, texts, () -> {
            int v = args.integer(name, otherwise, min, max);
            assertTrue(v == otherwise && (field == null || field.isNull()) || v >= min && v <= max, "integer " + v);
        });
    }

    private interface Read {
        void run() throws Exception;
    }

    private static void check(String name, List<String> secrets, Read read) throws Exception {
        try {
            read.run();
        } catch (CommandException e) {
            assertEquals(ErrorCode.INVALID_ARGUMENTS, e.code());
            assertTrue(e.getMessage().startsWith(name + ":"), "the message names the field: " + e.getMessage());
            for (String s : secrets) {
                if (s.length() >= 6 && !name.contains(s) && !e.getMessage().substring(name.length()).isEmpty()) {
                    assertFalse(e.getMessage().substring(name.length() + 1).contains(s),
                            "the message repeats a value: " + e.getMessage());
                }
            }
        } catch (java.util.NoSuchElementException absent) {
            // text() said empty: fine when the field is absent or null
        }
    }

    private static void collectTexts(JsonNode v, List<String> out) {
        if (v.isTextual()) {
            out.add(v.asText());
        }
        v.forEach(e -> collectTexts(e, out));
    }
}
