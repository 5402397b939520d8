package com.cloudextender.core.upload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.util.Timeout;
import org.jivesoftware.smackx.httpfileupload.element.Slot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.cloudextender.api.UploadReceipt;
import com.cloudextender.core.net.LoopbackHttp;
import com.cloudextender.core.proxy.OutboundHttp;
import com.cloudextender.core.proxy.ProxyDecision;

/** Upload slots from the cloud must be https (issue 10, item 17). */
class UploaderTest {
    @TempDir
    Path dir;

    @Test
    void aSlotWithAPlainHttpUrlIsRefusedBeforeAnyByteIsSent() throws Exception {
        Path file = Files.writeString(dir.resolve("delta.json.gz"), "{}");
        try (LoopbackHttp https = LoopbackHttp.https(); LoopbackHttp plain = LoopbackHttp.plain();
                CloseableHttpClient http = OutboundHttp.client(ProxyDecision.direct(), https.clientTls(),
                        Timeout.ofSeconds(10))) {
            plain.on("/", LoopbackHttp.status(201));
            URL httpPut = new URL("http://u:s3cret@127.0.0.1:" + plain.uri("/").getPort() + "/upload/abc/delta.json.gz");
            URL httpsGet = https.uri("/files/delta.json.gz").toURL();
            Uploader putOverHttp = new Uploader((name, size, type) -> new Slot(httpPut, httpsGet, Map.of("Authorization",
                    "Bearer slot-token")), http);
            UploadException e = assertThrows(UploadException.class,
                    () -> putOverHttp.upload(file, "delta.json.gz", "application/gzip"));
            assertTrue(e.getMessage().startsWith("the cloud's upload slot for delta.json.gz was refused: the upload "
                    + "slot's PUT URL must be an https:// URL with a host, not http://127.0.0.1:"), e.getMessage());
            assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
            assertEquals(0, plain.requests.size(), "nothing was sent over plain HTTP");

            URL httpsPut = https.uri("/upload/abc/delta.json.gz").toURL();
            URL httpGet = new URL("http://127.0.0.1/files/delta.json.gz");
            Uploader getOverHttp = new Uploader((name, size, type) -> new Slot(httpsPut, httpGet), http);
            e = assertThrows(UploadException.class, () -> getOverHttp.upload(file, "delta.json.gz", "application/gzip"));
            assertTrue(e.getMessage().contains("the upload slot's GET URL must be an https:// URL"), e.getMessage());

            https.on("/upload/", LoopbackHttp.status(201));
            UploadReceipt ok = new Uploader((name, size, type) -> new Slot(httpsPut, httpsGet), http)
                    .upload(file, "delta.json.gz", "application/gzip");
            assertEquals(httpsGet.toString(), ok.getUrl());
            assertEquals(java.util.List.of("/upload/abc/delta.json.gz"), https.requests);
        }
    }
}
