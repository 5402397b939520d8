package com.cloudextender.core.setup;

/**
 * Where the wizard's answers come from: a person at a terminal ({@link ConsoleInput}), who can correct a wrong
 * answer, or an answers file ({@link AnswersInput}), where a wrong answer ends the setup with an exit code.
 * Each question names the answers-file key that answers it.
 */
public interface SetupInput {
    /**
     * A line of text; {@code defaultValue} (may be empty) is taken when the answer is empty.
     *
     * @throws SetupAbort when no answer can be had (end of input, or a required key missing from the file)
     */
    String text(String key, String question, String defaultValue) throws SetupAbort;

    /**
     * A secret, never echoed. An empty answer returns {@code ""} (the caller decides whether to keep an
     * existing one).
     */
    String secret(String key, String question) throws SetupAbort;

    /** Yes or no. */
    boolean yesNo(String key, String question, boolean defaultValue) throws SetupAbort;

    /** Informs the person (or the log of an unattended run). */
    void say(String line);

    /**
     * An answer was invalid (for example a port out of range): a person is told and asked again; an answers
     * file run stops with {@link SetupAbort#BAD_ANSWERS}.
     */
    void invalid(String message) throws SetupAbort;

    /**
     * A live test failed: a person is told why and may correct the answers; an answers-file run stops with
     * {@code exitCode}.
     */
    void testFailed(String message, int exitCode) throws SetupAbort;

    /** True when a person answers (and can be offered to skip or correct). */
    boolean interactive();
}
