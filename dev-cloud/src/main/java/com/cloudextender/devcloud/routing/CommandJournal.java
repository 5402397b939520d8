package com.cloudextender.devcloud.routing;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.cloudextender.devcloud.CommandOutcome;
import com.cloudextender.devcloud.auth.SecretFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The commands the dev cloud sent and how each ended, and the results it stored, kept in its data directory
 * so that a restart of the dev cloud loses neither (a cloud keeps both in its database): a restarted dev
 * cloud sends its pending commands again when their extenders connect, and still knows every stored result.
 *
 * <p>One line per event, appended: a command sent, a command finished (result, refusal or time-out), a
 * result stored. Arguments and results can hold secrets (a user's password in an authentication, a SCEP
 * challenge), so each line is sealed with AES-GCM under a key in an owner-only file beside it. On opening,
 * the journal is read and rewritten with only what is still needed: pending commands and the newest
 * {@value #RESULTS_KEPT} stored results.
 * An unreadable line (a write cut by a crash) is skipped with a warning. Thread-safe.
 */
public final class CommandJournal implements AutoCloseable {
    /** The journal's file name in the data directory. */
    public static final String FILE = "commands.journal";
    private static final String KEY_FILE = "commands.key";
    private static final Logger LOG = LoggerFactory.getLogger(CommandJournal.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    /** Results kept when the journal is rewritten at start (the router also keeps the newest 100,000 outcomes). */
    static final int RESULTS_KEPT = 100_000;

    private final Path file;
    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();
    private final List<Sent> pending;
    private final List<StoredResult> results;
    private BufferedWriter out;

    /** A command that was sent and has not finished. */
    public record Sent(String id, CommandTarget target, String module, String action, String arguments,
            Long timeoutMillis, long sentAtMillis) {
    }

    /** A result the cloud stored. */
    public record StoredResult(String commandId, String extenderId, String errorCode, String payload) {
    }

    private CommandJournal(Path file, SecretKeySpec key, List<Sent> pending, List<StoredResult> results) {
        this.file = file;
        this.key = key;
        this.pending = pending;
        this.results = results;
    }

    /** Opens (or creates) the journal in {@code dataDir}, reads it and rewrites it compacted. */
    public static CommandJournal open(Path dataDir) throws IOException {
        Path keyFile = dataDir.resolve(KEY_FILE);
        if (!Files.exists(keyFile)) {
            byte[] k = new byte[32];
            new SecureRandom().nextBytes(k);
            SecretFiles.write(keyFile, k);
        }
        SecretKeySpec key = new SecretKeySpec(Files.readAllBytes(keyFile), "AES");
        Path file = dataDir.resolve(FILE);
        Map<String, Sent> pending = new LinkedHashMap<>();
        Map<String, StoredResult> results = new LinkedHashMap<>();
        CommandJournal journal = new CommandJournal(file, key, new ArrayList<>(), new ArrayList<>());
        if (Files.exists(file)) {
            int line = 0;
            for (String sealed : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
                line++;
                try {
                    replay(JSON.readTree(journal.unseal(sealed)), pending, results);
                } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
                    LOG.warn("Dev cloud command journal {}: line {} is unreadable and skipped ({})", file, line,
                            e.getMessage());
                }
            }
        }
        journal.pending.addAll(pending.values());
        // The newest results only, as the router keeps only so many outcomes: the file does not grow for ever.
        journal.results.addAll(results.values().stream().skip(Math.max(0, results.size() - RESULTS_KEPT)).toList());
        journal.rewrite();
        return journal;
    }

    /** The commands sent before and not finished, in the order they were sent. */
    public List<Sent> pending() {
        return List.copyOf(pending);
    }

    /** The results stored before. */
    public List<StoredResult> results() {
        return List.copyOf(results);
    }

    /** Records that a command was sent. */
    public void sent(Sent s) {
        ObjectNode n = JSON.createObjectNode().put("t", "sent").put("id", s.id()).put("module", s.module())
                .put("action", s.action()).put("args", s.arguments()).put("at", s.sentAtMillis());
        if (s.target().isCustomer()) {
            n.put("customer", s.target().customer());
        } else {
            n.put("extender", s.target().extenderId());
        }
        if (s.timeoutMillis() != null) {
            n.put("timeoutMs", s.timeoutMillis());
        }
        append(n);
    }

    /** Records that a command finished: it is not sent again after a restart. */
    public void finished(CommandOutcome outcome) {
        append(JSON.createObjectNode().put("t", "done").put("id", outcome.commandId()));
    }

    /** Records a stored result. */
    public void stored(StoredResult r) {
        append(JSON.createObjectNode().put("t", "result").put("id", r.commandId()).put("extender", r.extenderId())
                .put("error", r.errorCode()).put("payload", r.payload()));
    }

    @Override
    public synchronized void close() throws IOException {
        if (out != null) {
            out.close();
            out = null;
        }
    }

    private static void replay(JsonNode n, Map<String, Sent> pending, Map<String, StoredResult> results) {
        String id = n.path("id").asText();
        switch (n.path("t").asText()) {
            case "sent" -> pending.put(id, new Sent(id, n.hasNonNull("customer")
                    ? CommandTarget.customer(n.get("customer").asText())
                    : CommandTarget.extender(n.path("extender").asText()), n.path("module").asText(),
                    n.path("action").asText(), n.path("args").isNull() ? null : n.path("args").asText(),
                    n.hasNonNull("timeoutMs") ? n.get("timeoutMs").asLong() : null, n.path("at").asLong()));
            case "done" -> pending.remove(id);
            case "result" -> results.putIfAbsent(id, new StoredResult(id, n.path("extender").asText(),
                    n.path("error").isNull() ? null : n.path("error").asText(), n.path("payload").asText()));
            default -> throw new IllegalArgumentException("unknown entry type '" + n.path("t").asText() + "'");
        }
    }

    /** Writes the compacted journal to a new file and moves it over the old one, then appends to it. */
    private synchronized void rewrite() throws IOException {
        Path tmp = file.resolveSibling(FILE + ".tmp");
        try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.US_ASCII)) {
            out = w;
            pending.forEach(this::sent);
            results.forEach(this::stored);
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII, StandardOpenOption.APPEND);
    }

    private synchronized void append(ObjectNode entry) {
        if (out == null) {
            return; // closed: the dev cloud is stopping
        }
        try {
            out.write(seal(entry.toString()));
            out.write('\n');
            out.flush(); // to the OS at once: a dev cloud killed later still finds the line
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the dev cloud's command journal " + file, e);
        }
    }

    private String seal(String text) {
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            byte[] ct = c.doFinal(text.getBytes(StandardCharsets.UTF_8));
            byte[] all = new byte[iv.length + ct.length];
            System.arraycopy(iv, 0, all, 0, iv.length);
            System.arraycopy(ct, 0, all, iv.length, ct.length);
            return Base64.getEncoder().encodeToString(all);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    private String unseal(String sealed) throws GeneralSecurityException {
        byte[] all = Base64.getDecoder().decode(sealed.trim());
        if (all.length <= IV_BYTES) {
            throw new IllegalArgumentException("too short");
        }
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, all, 0, IV_BYTES));
        return new String(c.doFinal(all, IV_BYTES, all.length - IV_BYTES), StandardCharsets.UTF_8);
    }
}
