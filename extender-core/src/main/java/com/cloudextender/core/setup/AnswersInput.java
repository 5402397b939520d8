package com.cloudextender.core.setup;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * Takes the answers from a properties file ({@code extender setup --answers FILE}). A missing required answer,
 * an invalid one or an unknown key ends the setup with {@link SetupAbort#BAD_ANSWERS}; a failed live test ends
 * it with that test's exit code. Secret answers are only passed on, never printed.
 */
public final class AnswersInput implements SetupInput {
    /** Every key an answers file may hold. */
    public static final Set<String> KEYS = Set.of("cloud.host", "cloud.port", "cloud.apiUrl", "cloud.trustStore",
            "activation.code", "proxy.host", "proxy.port", "proxy.username", "proxy.password", "proxy.authSchemes", "directory.profile",
            "directory.type", "directory.servers", "directory.startTls", "directory.bindDn", "directory.bindPassword",
            "directory.baseDn", "directory.trustStore", "directory.includeOus", "directory.testUser",
            "directory.testPassword");

    private final Properties answers;
    private final PrintStream out;

    private AnswersInput(Properties answers, PrintStream out) {
        this.answers = answers;
        this.out = out;
    }

    /**
     * Reads and checks the file's keys.
     *
     * @throws SetupAbort {@link SetupAbort#BAD_ANSWERS} when the file cannot be read or holds an unknown key
     */
    public static AnswersInput read(Path file, PrintStream out) throws SetupAbort {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new SetupAbort(SetupAbort.BAD_ANSWERS, "answers file " + file + " does not exist");
        } catch (IOException | IllegalArgumentException e) {
            throw new SetupAbort(SetupAbort.BAD_ANSWERS, "cannot read answers file " + file + ": " + e.getMessage());
        }
        Set<String> unknown = new TreeSet<>(p.stringPropertyNames());
        unknown.removeAll(KEYS);
        if (!unknown.isEmpty()) {
            throw new SetupAbort(SetupAbort.BAD_ANSWERS, "answers file " + file + ": unknown key(s) " + unknown
                    + "; allowed: " + new TreeSet<>(KEYS));
        }
        return new AnswersInput(p, out);
    }

    /** True when the file answers {@code key} (with a non-empty value). */
    public boolean has(String key) {
        return !answers.getProperty(key, "").trim().isEmpty();
    }

    @Override
    public String text(String key, String question, String defaultValue) throws SetupAbort {
        String v = answers.getProperty(key, "").trim();
        if (v.isEmpty()) {
            v = defaultValue;
        }
        out.println(question + ": " + v);
        return v;
    }

    @Override
    public String secret(String key, String question) {
        String v = answers.getProperty(key, "").trim();
        out.println(question + ": " + (v.isEmpty() ? "(not given)" : "(given)"));
        return v;
    }

    @Override
    public boolean yesNo(String key, String question, boolean defaultValue) throws SetupAbort {
        String v = answers.getProperty(key, "").trim().toLowerCase(Locale.ROOT);
        boolean answer;
        switch (v) {
            case "" -> answer = defaultValue;
            case "true", "yes", "y" -> answer = true;
            case "false", "no", "n" -> answer = false;
            default -> throw new SetupAbort(SetupAbort.BAD_ANSWERS, key + ": '" + v + "' is not allowed; write true or false");
        }
        out.println(question + ": " + (answer ? "yes" : "no"));
        return answer;
    }

    @Override
    public void say(String line) {
        out.println(line);
    }

    @Override
    public void invalid(String message) throws SetupAbort {
        throw new SetupAbort(SetupAbort.BAD_ANSWERS, "answers file: " + message);
    }

    @Override
    public void testFailed(String message, int exitCode) throws SetupAbort {
        throw new SetupAbort(exitCode, message);
    }

    @Override
    public boolean interactive() {
        return false;
    }
}
