package com.cloudextender.devcloud.upload;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.cloudextender.devcloud.auth.Secrets;
import com.cloudextender.devcloud.http.ApiException;
import com.cloudextender.devcloud.http.Exchanges;
import com.cloudextender.devcloud.http.JsonHandler;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

/**
 * The HTTP side of upload slots, at {@code /upload/SLOT/FILENAME} (docs/PROTOCOL.md section 7).
 *
 * <ul>
 * <li>{@code PUT} with the slot's {@code Authorization} and {@code X-Content-SHA256: <hex>}: stores the
 * body. Without {@code Content-Range} the body is the whole file; with
 * {@code Content-Range: bytes START-END/TOTAL} it continues from START, which must not be beyond what
 * has arrived. Answers 201 when the file is complete and its checksum matches, 202 when a range was
 * stored and more is expected, 400 on a length or checksum mismatch (a checksum mismatch discards the
 * content), 403 for an unknown or expired slot or a wrong authorisation, 409 while another PUT is
 * writing the slot, 413 when the body goes beyond the announced size.</li>
 * <li>{@code HEAD}: {@code Upload-Offset} (bytes received) and {@code Upload-Length}, once a PUT still being
 * received has ended (409 with {@code Retry-After} if it has not within 10 s).</li>
 * <li>{@code GET} with the slot's or the console's bearer token: the content, once complete.</li>
 * </ul>
 */
public final class UploadHandler extends JsonHandler {
    private static final long HEAD_WAIT_SECONDS = 10;
    private static final Logger LOG = LoggerFactory.getLogger(UploadHandler.class);
    private static final Pattern HEX_SHA256 = Pattern.compile("[0-9a-fA-F]{64}");
    private static final int CHUNK = 64 * 1024;

    private final UploadSlots slots;
    private final String consoleToken;

    public UploadHandler(UploadSlots slots, String consoleToken) {
        this.slots = slots;
        this.consoleToken = consoleToken;
    }

    @Override
    protected void serve(HttpExchange exchange) throws IOException, ApiException {
        String path = exchange.getRequestURI().getPath();
        String rest = path.substring(UploadSlots.PATH.length());
        int slash = rest.indexOf('/');
        String slotId = slash < 0 ? rest : rest.substring(0, slash);
        UploadSlot slot = slots.find(slotId)
                .orElseThrow(() -> new ApiException(403, "unknown or expired upload slot"));
        String token = Secrets.bearerToken(exchange.getRequestHeaders().getFirst("Authorization"));
        boolean slotAuthorised = Secrets.equal(slot.secret, token);
        switch (exchange.getRequestMethod()) {
            case "PUT" -> {
                requireSlotAuthorisation(slotAuthorised);
                put(exchange, slot);
            }
            case "HEAD" -> {
                requireSlotAuthorisation(slotAuthorised);
                head(exchange, slot);
            }
            case "GET" -> {
                if (!slotAuthorised && !Secrets.equal(consoleToken, token)) {
                    throw new ApiException(403, "the Authorization header does not match this slot");
                }
                get(exchange, slot);
            }
            default -> throw ApiException.methodNotAllowed(exchange.getRequestMethod(), UploadSlots.PATH + "…");
        }
    }

    /**
     * The offset to resume from. A client asks right after its connection broke, when the server may still
     * be reading what that connection had delivered: the answer waits for such a PUT to end, so that the
     * offset counts every byte that arrived and nothing is sent twice.
     */
    private static void head(HttpExchange exchange, UploadSlot slot) throws IOException, ApiException {
        boolean settled;
        try {
            settled = slot.writing.tryLock(HEAD_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            settled = false;
        }
        if (!settled) {
            exchange.getResponseHeaders().set("Retry-After", "1");
            throw new ApiException(409, "a PUT to this slot is still being received; ask again");
        }
        try {
            exchange.getResponseHeaders().set("Upload-Offset", Long.toString(slot.received()));
            exchange.getResponseHeaders().set("Upload-Length", Long.toString(slot.size));
        } finally {
            slot.writing.unlock();
        }
        exchange.sendResponseHeaders(200, -1);
    }

    private static void requireSlotAuthorisation(boolean authorised) throws ApiException {
        if (!authorised) {
            throw new ApiException(403, "the Authorization header does not match this slot");
        }
    }

    private void put(HttpExchange exchange, UploadSlot slot) throws IOException, ApiException {
        String announced = exchange.getRequestHeaders().getFirst("X-Content-SHA256");
        if (announced != null && !HEX_SHA256.matcher(announced.trim()).matches()) {
            throw ApiException.badRequest("X-Content-SHA256 must be 64 hex digits");
        }
        ContentRange range;
        try {
            range = ContentRange.parse(exchange.getRequestHeaders().getFirst("Content-Range"));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        if (!slot.writing.tryLock()) {
            throw new ApiException(409, "another upload to this slot is in progress");
        }
        try {
            if (announced != null) {
                slot.announceSha256(announced.trim().toLowerCase(Locale.ROOT));
            }
            if (slot.isComplete()) {
                repeatPut(exchange, slot);
                return;
            }
            long start = range == null ? 0 : range.start();
            if (range != null && range.total() != slot.size) {
                throw ApiException.badRequest("Content-Range total " + range.total() + " differs from the slot size "
                        + slot.size);
            }
            if (start > slot.received()) {
                throw ApiException.badRequest("Content-Range starts at " + start + " but only " + slot.received()
                        + " bytes have arrived; HEAD gives the offset to resume from");
            }
            long expected = range == null ? slot.size : range.length();
            String lengthHeader = exchange.getRequestHeaders().getFirst("Content-Length");
            if (lengthHeader != null && parseLong(lengthHeader) > slot.size - start) {
                throw new ApiException(413, "the body of " + lengthHeader + " bytes goes beyond the announced size of "
                        + slot.size + " bytes");
            }
            long written = receive(exchange, slot, start);
            if (written < 0) {
                throw new ApiException(413, "the body goes beyond the announced size of " + slot.size + " bytes");
            }
            long received = start + written;
            if (written != expected) {
                throw ApiException.badRequest("length mismatch: the body has " + written + " bytes but "
                        + (range == null ? "the slot size" : "Content-Range") + " says " + expected + "; " + received
                        + " of " + slot.size + " bytes have arrived, resume from Upload-Offset " + received);
            }
            if (received == slot.size) {
                verify(exchange, slots, slot);
            } else {
                exchange.getResponseHeaders().set("Upload-Offset", Long.toString(received));
                Exchanges.sendJson(exchange, 202, progress(slot));
            }
        } finally {
            slot.writing.unlock();
        }
    }

    /** Writes the body from {@code start}; returns the bytes written, or -1 when it overflows the slot (discarded). */
    private static long receive(HttpExchange exchange, UploadSlot slot, long start) throws IOException {
        long room = slot.size - start;
        long written = 0;
        try (FileChannel out = FileChannel.open(slot.file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                InputStream in = exchange.getRequestBody()) {
            out.truncate(start);
            out.position(start);
            slot.received(start);
            byte[] buffer = new byte[CHUNK];
            int n;
            try {
                while ((n = in.read(buffer)) > 0) {
                    if (written + n > room) {
                        out.truncate(start);
                        written = -1;
                        break;
                    }
                    ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
                    while (chunk.hasRemaining()) {
                        out.write(chunk);
                    }
                    written += n;
                }
            } finally {
                out.force(false);
                // What arrived stays, so that an interrupted upload can resume from here.
                slot.received(start + Math.max(0, written));
            }
        }
        return written;
    }

    private static void verify(HttpExchange exchange, UploadSlots slots, UploadSlot slot) throws IOException,
            ApiException {
        String announced = slot.announcedSha256();
        String actual = sha256(slot);
        if (announced == null) {
            throw ApiException.badRequest("X-Content-SHA256 is required to complete the upload");
        }
        if (!announced.equals(actual)) {
            Files.deleteIfExists(slot.file);
            slot.received(0);
            LOG.warn("Upload to slot {} from {} failed its checksum; the content was discarded", slot.id,
                    slot.extenderId);
            throw ApiException.badRequest("checksum mismatch: X-Content-SHA256 is " + announced
                    + " but the content received has " + actual + "; the content was discarded, upload it again");
        }
        // A former lease holder's late upload: a newer generation began after its slot was given.
        String stale = slots.staleReason(slot);
        if (stale != null) {
            Files.deleteIfExists(slot.file);
            slot.received(0);
            LOG.info("Upload to slot {} from {} dropped: {}", slot.id, slot.extenderId, stale);
            throw new ApiException(409, stale);
        }
        slot.complete(actual);
        LOG.info("Upload to slot {} complete: '{}', {} bytes, sha256 {}", slot.id, slot.filename, slot.size, actual);
        Exchanges.sendJson(exchange, 201, progress(slot));
    }

    /** A PUT to a complete slot: the same content again (a retry after a lost answer) gets 201 again. */
    private static void repeatPut(HttpExchange exchange, UploadSlot slot) throws IOException, ApiException {
        try (InputStream in = exchange.getRequestBody()) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        if (!slot.sha256().equals(slot.announcedSha256())) {
            throw new ApiException(409, "this slot already holds a complete upload with another checksum");
        }
        Exchanges.sendJson(exchange, 201, progress(slot));
    }

    private static void get(HttpExchange exchange, UploadSlot slot) throws IOException, ApiException {
        if (!slot.isComplete()) {
            throw ApiException.notFound("the upload is not complete: " + slot.received() + " of " + slot.size
                    + " bytes have arrived");
        }
        exchange.getResponseHeaders().set("Content-Type",
                slot.contentType == null ? "application/octet-stream" : slot.contentType);
        exchange.getResponseHeaders().set("X-Content-SHA256", slot.sha256());
        exchange.sendResponseHeaders(200, slot.size);
        try (OutputStream out = exchange.getResponseBody()) {
            Files.copy(slot.file, out);
        }
    }

    private static ObjectNode progress(UploadSlot slot) {
        ObjectNode node = Exchanges.JSON.createObjectNode();
        node.put("slotId", slot.id);
        node.put("filename", slot.filename);
        node.put("size", slot.size);
        node.put("received", slot.received());
        node.put("complete", slot.isComplete());
        node.put("sha256", slot.sha256());
        return node;
    }

    private static String sha256(UploadSlot slot) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
        try (InputStream in = Files.newInputStream(slot.file)) {
            byte[] buffer = new byte[CHUNK];
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static long parseLong(String text) throws ApiException {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("Content-Length '" + text + "' is not a number");
        }
    }
}
