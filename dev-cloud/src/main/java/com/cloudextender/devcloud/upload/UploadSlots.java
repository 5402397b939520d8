package com.cloudextender.devcloud.upload;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smackx.httpfileupload.element.Slot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.cloudextender.devcloud.UploadView;
import com.cloudextender.devcloud.auth.RandomTokens;

/**
 * The upload slots (docs/PROTOCOL.md section 7): hands out slots on request and keeps their state for
 * the HTTP side ({@link UploadHandler}). Content goes to {@code <dataDir>/uploads/<slot>-<filename>}.
 * Slots live in memory: after a restart of the dev cloud, old put URLs answer 403 and the extender asks
 * for a new slot.
 */
public final class UploadSlots {
    /** The largest upload a slot is given for. */
    public static final long MAX_SIZE = 2L * 1024 * 1024 * 1024;
    /** How long a slot accepts its upload. */
    public static final Duration VALIDITY = Duration.ofHours(24);
    /** The path under which put and get URLs live on the API server. */
    public static final String PATH = "/upload/";

    private static final Logger LOG = LoggerFactory.getLogger(UploadSlots.class);

    private final Path directory;
    private final URI apiUrl;
    private final ConcurrentMap<String, UploadSlot> slots = new ConcurrentHashMap<>();
    private volatile Fences fences = (extenderId, lease, generation) -> null;

    /** Decides whether an upload fenced by a lease generation is stale (docs/PROTOCOL.md section 11). */
    @FunctionalInterface
    public interface Fences {
        /** Why the upload must be dropped, or null when it may be stored. */
        String staleReason(String extenderId, String lease, long generation);
    }

    /** Sets the lease fences that fenced slot requests and their uploads are checked against. */
    public void fences(Fences fences) {
        this.fences = fences;
    }

    /** Why the upload in {@code slot} must be dropped now, or null. */
    String staleReason(UploadSlot slot) {
        return slot.fenceLease == null ? null : fences.staleReason(slot.extenderId, slot.fenceLease,
                slot.fenceGeneration);
    }

    public UploadSlots(Path directory, URI apiUrl) throws IOException {
        this.directory = Files.createDirectories(directory);
        this.apiUrl = apiUrl;
    }

    /** Creates a slot for {@code request} from {@code extenderId}, or refuses it with a reason. */
    public Slot createSlot(String extenderId, SlotRequestIq request) throws SlotRefusedException {
        String filename = request.filename();
        if (filename == null || filename.isBlank()) {
            throw new SlotRefusedException(StanzaError.Condition.bad_request, "the request has no 'filename'");
        }
        long size;
        try {
            size = Long.parseLong(request.size() == null ? "" : request.size().trim());
        } catch (NumberFormatException e) {
            throw new SlotRefusedException(StanzaError.Condition.bad_request,
                    "'size' must be a number of bytes, not '" + request.size() + "'");
        }
        if (size <= 0) {
            throw new SlotRefusedException(StanzaError.Condition.bad_request, "'size' must be positive, not " + size);
        }
        if (size > MAX_SIZE) {
            throw new SlotRefusedException(StanzaError.Condition.not_acceptable,
                    "file too large: " + size + " bytes; the limit is " + MAX_SIZE);
        }
        if (request.fenceLease() != null) {
            String stale = fences.staleReason(extenderId, request.fenceLease(), request.fenceGeneration());
            if (stale != null) {
                LOG.info("Upload slot for {} refused: {}", extenderId, stale);
                throw new SlotRefusedException(StanzaError.Condition.conflict, stale);
            }
        }
        String safeName = sanitise(filename);
        String id = RandomTokens.urlSafe(18);
        String secret = RandomTokens.urlSafe(24);
        UploadSlot slot = new UploadSlot(id, secret, safeName, size, request.contentType(), extenderId,
                Instant.now().plus(VALIDITY), directory.resolve(id + "-" + safeName));
        slot.fenceLease = request.fenceLease();
        slot.fenceGeneration = request.fenceGeneration();
        slots.put(id, slot);
        LOG.info("Upload slot {} for {}: '{}', {} bytes", id, extenderId, safeName, size);
        String url = apiUrl.resolve(PATH + id + "/" + URLEncoder.encode(safeName, StandardCharsets.UTF_8)).toString();
        try {
            URL location = new URL(url);
            return new Slot(location, location, java.util.Map.of("Authorization", "Bearer " + secret));
        } catch (MalformedURLException e) {
            throw new IllegalStateException("upload URL " + url + " is not a URL", e);
        }
    }

    /** The slot {@code id} if it exists and has not expired (an expired one is forgotten). */
    Optional<UploadSlot> find(String id) {
        UploadSlot slot = slots.get(id);
        if (slot != null && Instant.now().isAfter(slot.expiresAt) && !slot.isComplete()) {
            slots.remove(id, slot);
            return Optional.empty();
        }
        return Optional.ofNullable(slot);
    }

    public List<UploadView> all() {
        List<UploadView> views = new ArrayList<>();
        slots.values().forEach(s -> views.add(s.view()));
        return views;
    }

    /** A file name safe on every file system: letters, digits, dot, dash and underscore; no leading dot. */
    static String sanitise(String filename) {
        String base = filename.replace('\\', '/');
        base = base.substring(base.lastIndexOf('/') + 1);
        StringBuilder safe = new StringBuilder();
        for (char c : base.toCharArray()) {
            safe.append(Character.isLetterOrDigit(c) && c < 128 || c == '.' || c == '-' || c == '_' ? c : '_');
        }
        while (safe.length() > 0 && safe.charAt(0) == '.') {
            safe.setCharAt(0, '_');
        }
        if (safe.length() == 0) {
            return "upload";
        }
        return safe.length() > 120 ? safe.substring(safe.length() - 120) : safe.toString();
    }
}
