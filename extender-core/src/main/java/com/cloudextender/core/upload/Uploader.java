package com.cloudextender.core.upload;

import com.cloudextender.api.UploadReceipt;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.hc.client5.http.classic.methods.HttpHead;
import org.apache.hc.client5.http.classic.methods.HttpPut;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.io.entity.AbstractHttpEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smackx.httpfileupload.element.Slot;
import org.jivesoftware.smackx.httpfileupload.element.SlotRequest;
import org.jxmpp.jid.impl.JidCreate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.cloudextender.core.channel.Channel;
import com.cloudextender.core.net.Urls;
import com.cloudextender.core.protocol.FencedSlotRequest;

/**
 * Uploads bulk data to the cloud through an HTTP upload slot (XEP-0363 style): asks for a slot over the
 * channel, PUTs the file with its SHA-256 through the shared HTTP client (and so the shared proxy
 * decision), and resumes an interrupted PUT from the offset the cloud reports.
 */
public final class Uploader {
    private static final Logger LOG = LoggerFactory.getLogger(Uploader.class);
    private static final int ATTEMPTS = 3;

    private static final int HEAD_ASKS = 5;
    private final SlotSource slots;
    private final FencedSlotSource fencedSlots;
    private final CloseableHttpClient http;

    /** Asks the cloud for an upload slot. */
    @FunctionalInterface
    interface SlotSource {
        Slot request(String filename, long size, String contentType) throws UploadException, InterruptedException;
    }

    /** Asks the cloud for an upload slot on behalf of work under a lease of the given generation. */
    @FunctionalInterface
    interface FencedSlotSource {
        Slot request(String filename, long size, String contentType, String lease, long generation)
                throws UploadException, InterruptedException;
    }

    public Uploader(Channel channel, CloseableHttpClient http) {
        this((filename, size, type) -> requestSlot(channel, filename, size, type, null, 0),
                (filename, size, type, lease, generation) -> requestSlot(channel, filename, size, type, lease,
                        generation), http);
    }

    Uploader(SlotSource slots, CloseableHttpClient http) {
        this(slots, (filename, size, type, lease, generation) -> slots.request(filename, size, type), http);
    }

    Uploader(SlotSource slots, FencedSlotSource fencedSlots, CloseableHttpClient http) {
        this.slots = slots;
        this.fencedSlots = fencedSlots;
        this.http = http;
    }

    /** Uploads {@code file} as {@code filename}; blocks until the cloud stored it whole and verified it. */
    public UploadReceipt upload(Path file, String filename, String contentType) throws UploadException,
            InterruptedException {
        return upload(file, filename, contentType, null, 0);
    }

    /**
     * Uploads {@code file} for work under {@code lease} of {@code generation} (docs/PROTOCOL.md section 11):
     * the slot request carries the fence, and the cloud refuses the slot if a newer generation has begun.
     * A null {@code lease} or generation 0 uploads unfenced.
     */
    public UploadReceipt upload(Path file, String filename, String contentType, String lease, long generation)
            throws UploadException, InterruptedException {
        long size;
        String sha256;
        try {
            size = Files.size(file);
            sha256 = sha256(file);
        } catch (IOException e) {
            throw new UploadException("cannot read " + file + " for upload: " + e.getMessage(), e);
        }
        Slot slot = lease == null || generation <= 0 ? slots.request(filename, size, contentType)
                : fencedSlots.request(filename, size, contentType, lease, generation);
        String put = slot.getPutUrl().toString();
        String get = slot.getGetUrl().toString();
        try {
            // The file and the slot's headers (which may carry a token) never go over plain HTTP.
            Urls.https("the upload slot's PUT URL", put);
            Urls.https("the upload slot's GET URL", get);
        } catch (IllegalArgumentException e) {
            throw new UploadException("the cloud's upload slot for " + filename + " was refused: " + e.getMessage());
        }
        long offset = 0;
        for (int attempt = 1;; attempt++) {
            try {
                put(put, slot.getHeaders(), file, offset, size, sha256, contentType);
                return new UploadReceipt(get, sha256, size);
            } catch (IOException e) {
                if (attempt >= ATTEMPTS) {
                    throw new UploadException("upload of " + filename + " (" + size + " bytes) failed after " + attempt
                            + " attempts: " + e.getMessage(), e);
                }
                LOG.warn("Upload of {} interrupted ({}); resuming (attempt {} of {})", filename, e.getMessage(),
                        attempt + 1, ATTEMPTS);
                offset = receivedSoFar(put, slot.getHeaders());
            }
        }
    }

    private static Slot requestSlot(Channel channel, String filename, long size, String contentType, String lease,
            long generation) throws UploadException, InterruptedException {
        try {
            var service = JidCreate.domainBareFrom(channel.cloudAddresses().primary());
            SlotRequest request = lease == null ? new SlotRequest(service, filename, size, contentType)
                    : new FencedSlotRequest(service, filename, size, contentType, lease, generation);
            IQ answer = channel.query(request).get(30, TimeUnit.SECONDS);
            if (answer instanceof Slot slot) {
                return slot;
            }
            throw new UploadException("the cloud answered the slot request for " + filename + " with " + answer);
        } catch (ExecutionException e) {
            throw new UploadException("the cloud gave no upload slot for " + filename + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new UploadException("the cloud did not answer the slot request for " + filename + " within 30 s", e);
        } catch (org.jxmpp.stringprep.XmppStringprepException e) {
            throw new UploadException("the cloud address is not a domain: " + e.getMessage(), e);
        }
    }

    private void put(String url, Map<String, String> headers, Path file, long offset, long size, String sha256,
            String contentType) throws IOException, UploadException {
        HttpPut put = new HttpPut(url);
        headers.forEach(put::setHeader);
        put.setHeader("X-Content-SHA256", sha256);
        if (offset > 0) {
            put.setHeader("Content-Range", "bytes " + offset + "-" + (size - 1) + "/" + size);
        }
        put.setEntity(new FileRange(file, offset, size - offset, ContentType.parse(contentType)));
        String[] said = {""};
        Integer code = http.execute(put, response -> {
            if (response.getCode() == 409 && response.getEntity() != null) {
                said[0] = EntityUtils.toString(response.getEntity(), 400);
            }
            EntityUtils.consume(response.getEntity());
            return response.getCode();
        });
        if (code == 409) {
            // Usually a former lease holder's upload: a newer generation began and the cloud dropped it
            // (PROTOCOL.md 11); the cloud's own words say which conflict it was.
            throw new UploadException("the cloud refused the upload to " + Urls.shown(url).replaceAll("/upload/[^/]+/",
                    "/upload/…/") + " as a conflict (HTTP 409: " + said[0].strip() + "); a dropped upload of a lease "
                    + "that moved to another extender is expected, that extender uploads instead");
        }
        if (code == 400 || code == 403 || code == 413) {
            throw new UploadException("the cloud refused the upload to " + Urls.shown(url).replaceAll("/upload/[^/]+/", "/upload/…/")
                    + " with HTTP " + code + (code == 400 ? " (checksum or length mismatch)" : ""));
        }
        if (code / 100 != 2) {
            throw new IOException("HTTP " + code);
        }
    }

    /**
     * Where to resume: the cloud's {@code Upload-Offset}. A 409 means the cloud is still receiving the
     * interrupted PUT (its end of the broken connection has not noticed yet): ask again shortly, or the
     * offset would be short and what arrived would be sent again. 0 when the cloud cannot say.
     */
    private long receivedSoFar(String url, Map<String, String> headers) {
        for (int ask = 1; ask <= HEAD_ASKS; ask++) {
            HttpHead head = new HttpHead(url);
            headers.forEach(head::setHeader);
            try {
                Long offset = http.execute(head, response -> {
                    if (response.getCode() == 409) {
                        return null;
                    }
                    Header h = response.getFirstHeader("Upload-Offset");
                    return h == null ? 0L : Long.parseLong(h.getValue().trim());
                });
                if (offset != null) {
                    return offset;
                }
                Thread.sleep(1000);
            } catch (IOException | NumberFormatException e) {
                return 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 0;
            }
        }
        return 0;
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A file's bytes from {@code offset}, streamed, never held in memory. */
    private static final class FileRange extends AbstractHttpEntity {
        private final Path file;
        private final long offset;
        private final long length;

        FileRange(Path file, long offset, long length, ContentType type) {
            super(type, null);
            this.file = file;
            this.offset = offset;
            this.length = length;
        }

        @Override
        public InputStream getContent() throws IOException {
            InputStream in = Files.newInputStream(file);
            in.skipNBytes(offset);
            return in;
        }

        @Override
        public boolean isStreaming() {
            return false;
        }

        @Override
        public long getContentLength() {
            return length;
        }

        @Override
        public boolean isRepeatable() {
            return true;
        }

        @Override
        public void close() {
            // nothing held open between writes
        }

        @Override
        public void writeTo(java.io.OutputStream out) throws IOException {
            try (InputStream in = getContent()) {
                byte[] buf = new byte[64 * 1024];
                long left = length;
                while (left > 0) {
                    int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                    if (n < 0) {
                        throw new IOException("file shrank during upload");
                    }
                    out.write(buf, 0, n);
                    left -= n;
                }
            }
        }
    }
}
