package com.cloudextender.core.setup;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Asks a person at the terminal. Secrets are read with the console's echo turned off; without a console
 * (input piped) they are read as a line, which a pipe does not echo either.
 */
public final class ConsoleInput implements SetupInput {
    private final Console console;
    private final BufferedReader in;
    private final PrintStream out;

    /** Reads from {@code console} when there is one, else from {@code in}. */
    public ConsoleInput(Console console, BufferedReader in, PrintStream out) {
        this.console = console;
        this.in = in;
        this.out = out;
    }

    @Override
    public String text(String key, String question, String defaultValue) throws SetupAbort {
        String shown = defaultValue.isEmpty() ? question + ": " : question + " [" + defaultValue + "]: ";
        String answer = readLine(shown).trim();
        return answer.isEmpty() ? defaultValue : answer;
    }

    @Override
    public String secret(String key, String question) throws SetupAbort {
        if (console != null) {
            char[] typed = console.readPassword("%s", question + " (hidden): ");
            if (typed == null) {
                throw cancelled();
            }
            return new String(typed);
        }
        return readLine(question + " (hidden): ");
    }

    @Override
    public boolean yesNo(String key, String question, boolean defaultValue) throws SetupAbort {
        while (true) {
            String answer = readLine(question + (defaultValue ? " [Y/n]: " : " [y/N]: ")).trim().toLowerCase(Locale.ROOT);
            if (answer.isEmpty()) {
                return defaultValue;
            }
            if (answer.equals("y") || answer.equals("yes")) {
                return true;
            }
            if (answer.equals("n") || answer.equals("no")) {
                return false;
            }
            out.println("  Please answer y or n.");
        }
    }

    @Override
    public void say(String line) {
        out.println(line);
        out.flush();
    }

    @Override
    public void invalid(String message) {
        say("  ! " + message);
    }

    @Override
    public void testFailed(String message, int exitCode) {
        say("  FAILED: " + message);
        say("  Correct the answers below (Enter keeps what you typed), or press Ctrl+D to stop without writing.");
    }

    @Override
    public boolean interactive() {
        return true;
    }

    private String readLine(String prompt) throws SetupAbort {
        if (console != null) {
            String line = console.readLine("%s", prompt);
            if (line == null) {
                throw cancelled();
            }
            return line;
        }
        out.print(prompt);
        out.flush();
        try {
            String line = in.readLine();
            if (line == null) {
                throw cancelled();
            }
            return line;
        } catch (IOException e) {
            throw new SetupAbort(SetupAbort.CANCELLED, "cannot read the answer: " + e.getMessage());
        }
    }

    private static SetupAbort cancelled() {
        return new SetupAbort(SetupAbort.CANCELLED, "setup cancelled; nothing was written");
    }
}
