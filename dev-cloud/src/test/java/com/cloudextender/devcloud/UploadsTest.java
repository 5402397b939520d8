package com.cloudextender.devcloud;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smackx.httpfileupload.element.Slot;
import org.jxmpp.jid.impl.JidCreate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.cloudextender.devcloud.upload.SlotRequestIq;

/** Upload slots: the XMPP request and the HTTPS PUT, HEAD and GET (docs/PROTOCOL.md section 7). */
class UploadsTest {
    @TempDir
    Path dir;
    DevCloud cloud;
    Api api;
    FakeExtender ext;

    @BeforeEach
    void start() throws Exception {
        cloud = DevCloud.start(DevCloudOptions.ephemeral(dir));
        api = new Api(cloud);
        ext = FakeExtender.register(cloud, "acme").connectDirectTls();
    }

    @AfterEach
    void stop() {
        ext.close();
        cloud.close();
    }

    /** A granted slot as the extender sees it through Smack's standard XEP-0363 parser. */
    private record Granted(String putUrl, String authorization, String getUrl) {
    }

    private Granted requestSlot(String filename, long size) throws Exception {
        SlotRequestIq request = new SlotRequestIq(filename, Long.toString(size), "application/gzip");
        request.setTo(JidCreate.domainBareFrom("localhost"));
        Slot slot = ext.connection().sendIqRequestAndWaitForResponse(request);
        return new Granted(slot.getPutUrl().toString(), slot.getHeaders().get("Authorization"),
                slot.getGetUrl().toString());
    }

    private Api.Response put(Granted slot, byte[] body, String sha256, String contentRange) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(slot.putUrl()))
                .header("Authorization", slot.authorization()).PUT(HttpRequest.BodyPublishers.ofByteArray(body));
        if (sha256 != null) {
            request.header("X-Content-SHA256", sha256);
        }
        if (contentRange != null) {
            request.header("Content-Range", contentRange);
        }
        return api.send(request, null);
    }

    @Test
    void aCompleteUploadWithTheRightChecksumIsStored() throws Exception {
        byte[] content = "{\"users\":[1,2,3]}".getBytes(StandardCharsets.UTF_8);
        Granted slot = requestSlot("users-0001.json.gz", content.length);
        assertTrue(slot.putUrl().startsWith(cloud.apiUrl() + "/upload/"), slot.putUrl());
        assertTrue(slot.putUrl().endsWith("/users-0001.json.gz"), slot.putUrl());
        assertTrue(slot.authorization().startsWith("Bearer "));

        Api.Response response = put(slot, content, sha256(content), null);

        assertEquals(201, response.status(), response.body());
        UploadView upload = cloud.uploads().get(0);
        assertTrue(upload.complete());
        assertEquals(sha256(content), upload.sha256());
        assertEquals(content.length, upload.size());
        assertArrayEquals(content, Files.readAllBytes(upload.file()));
        assertTrue(upload.file().startsWith(dir.resolve("uploads")));
        Api.Response download = api.send(HttpRequest.newBuilder(URI.create(slot.getUrl())).GET(), cloud.consoleToken());
        assertEquals(200, download.status());
        assertEquals("{\"users\":[1,2,3]}", download.body());
    }

    @Test
    void aWrongChecksumIsRejectedAndNothingIsKept() throws Exception {
        byte[] content = "0123456789".getBytes(StandardCharsets.UTF_8);
        Granted slot = requestSlot("x.bin", content.length);

        Api.Response response = put(slot, content, sha256("something else".getBytes(StandardCharsets.UTF_8)), null);

        assertEquals(400, response.status());
        assertTrue(response.json().get("error").asText().startsWith("checksum mismatch"), response.body());
        assertFalse(cloud.uploads().get(0).complete());
        assertEquals("0", head(slot));
        assertEquals(201, put(slot, content, sha256(content), null).status(), "a retry with the right content works");
    }

    @Test
    void anInterruptedUploadResumesFromTheOffsetGivenByHead() throws Exception {
        byte[] content = new byte[100];
        Arrays.fill(content, (byte) 'a');
        content[99] = 'z';
        Granted slot = requestSlot("delta.json.gz", 100);
        String sum = sha256(content);

        Api.Response part = put(slot, Arrays.copyOfRange(content, 0, 40), sum, "bytes 0-39/100");
        assertEquals(202, part.status(), part.body());
        assertEquals("40", head(slot));

        Api.Response rest = put(slot, Arrays.copyOfRange(content, 40, 100), sum, "bytes " + head(slot) + "-99/100");

        assertEquals(201, rest.status(), rest.body());
        assertArrayEquals(content, Files.readAllBytes(cloud.uploads().get(0).file()));
    }

    @Test
    void aHeadWaitsForAPutStillBeingReceivedSoThatItsOffsetCountsEveryByteThatArrived() throws Exception {
        byte[] content = new byte[100];
        Arrays.fill(content, (byte) 'b');
        Granted slot = requestSlot("slow.json.gz", 100);
        // A PUT that stops after 40 of its 100 bytes, as one whose connection is about to break.
        javax.net.ssl.HttpsURLConnection c = (javax.net.ssl.HttpsURLConnection) URI.create(slot.putUrl()).toURL().openConnection();
        c.setSSLSocketFactory(TestTls.trusting(cloud.certificatePem()).getSocketFactory());
        c.setRequestMethod("PUT");
        c.setDoOutput(true);
        c.setFixedLengthStreamingMode(100);
        c.setRequestProperty("Authorization", slot.authorization());
        c.setRequestProperty("X-Content-SHA256", sha256(content));
        java.io.OutputStream body = c.getOutputStream();
        body.write(content, 0, 40);
        body.flush();
        Thread.sleep(300); // the PUT is being received: its headers were read, 40 of 100 bytes arrived
        var offset = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return head(slot);
            } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
        Thread.sleep(500);
        assertFalse(offset.isDone(), () -> "no offset while the PUT is still being received (it would be short): " + offset.handle((v, e) -> v + " " + e).join());
        body.write(content, 40, 60);
        body.close();
        assertEquals(201, c.getResponseCode());
        assertEquals("100", offset.get(10, java.util.concurrent.TimeUnit.SECONDS));
    }

    @Test
    void aShortBodyIsALengthMismatchButWhatArrivedIsKeptForResuming() throws Exception {
        byte[] content = "abcdefghij".getBytes(StandardCharsets.UTF_8);
        Granted slot = requestSlot("short.bin", content.length);

        Api.Response shortPut = put(slot, Arrays.copyOfRange(content, 0, 4), sha256(content), null);

        assertEquals(400, shortPut.status());
        assertTrue(shortPut.json().get("error").asText().startsWith("length mismatch"), shortPut.body());
        assertEquals("4", head(slot));
        assertEquals(201, put(slot, Arrays.copyOfRange(content, 4, 10), sha256(content), "bytes 4-9/10").status());
    }

    @Test
    void aRangeBeyondWhatArrivedIsRejected() throws Exception {
        Granted slot = requestSlot("delta.json.gz", 100);

        Api.Response gap = put(slot, new byte[10], sha256(new byte[100]), "bytes 50-59/100");

        assertEquals(400, gap.status());
        assertTrue(gap.json().get("error").asText().contains("only 0 bytes have arrived"), gap.body());
    }

    @Test
    void aBodyLongerThanAnnouncedIsTooLarge() throws Exception {
        Granted slot = requestSlot("small.bin", 5);

        Api.Response response = put(slot, new byte[50], sha256(new byte[50]), null);

        assertEquals(413, response.status());
        assertEquals("0", head(slot));
    }

    @Test
    void unknownSlotsAndWrongAuthorisationAreForbidden() throws Exception {
        Granted slot = requestSlot("a.bin", 3);
        String unknownUrl = slot.putUrl().replaceFirst("/upload/[^/]+/", "/upload/nonexistent/");

        Api.Response unknown = api.send(HttpRequest.newBuilder(URI.create(unknownUrl))
                .header("Authorization", slot.authorization()).PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[3])),
                null);
        Api.Response wrongAuth = api.send(HttpRequest.newBuilder(URI.create(slot.putUrl()))
                .header("Authorization", "Bearer wrong").PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[3])), null);

        assertEquals(403, unknown.status());
        assertEquals(403, wrongAuth.status());
        assertEquals("0", head(slot));
    }

    @Test
    void aSlotRequestWithoutAValidSizeIsABadRequest() throws Exception {
        SlotRequestIq request = new SlotRequestIq("a.bin", "lots", null);
        request.setTo(JidCreate.domainBareFrom("localhost"));

        XMPPException.XMPPErrorException e = assertThrows(XMPPException.XMPPErrorException.class,
                () -> ext.connection().sendIqRequestAndWaitForResponse(request));

        assertEquals(StanzaError.Condition.bad_request, e.getStanzaError().getCondition());
        assertTrue(e.getStanzaError().getDescriptiveText().contains("'size'"));
        assertTrue(cloud.uploads().isEmpty());
    }

    private String head(Granted slot) throws IOException, InterruptedException {
        Api.Response response = api.send(HttpRequest.newBuilder(URI.create(slot.putUrl()))
                .header("Authorization", slot.authorization()).method("HEAD", HttpRequest.BodyPublishers.noBody()), null);
        assertEquals(200, response.status());
        return response.raw().headers().firstValue("Upload-Offset").orElseThrow();
    }

    private static String sha256(byte[] content) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    }

}
