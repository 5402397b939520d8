package com.cloudextender.core.module;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.util.Timeout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.cloudextender.core.net.LoopbackHttp;
import com.cloudextender.core.proxy.OutboundHttp;
import com.cloudextender.core.proxy.ProxyDecision;

/** Module downloads through the extender's own HTTP client: https on every hop (issue 10, item 17). */
class ModuleDownloaderTest {
    private static final byte[] PACKAGE = "package bytes".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;
    private LoopbackHttp https;
    private LoopbackHttp plain;
    private CloseableHttpClient http;
    private ModuleDownloader downloader;

    @BeforeEach
    void start() throws Exception {
        https = LoopbackHttp.https();
        plain = LoopbackHttp.plain().on("/", LoopbackHttp.body(PACKAGE));
        http = OutboundHttp.client(ProxyDecision.direct(), https.clientTls(), Timeout.ofSeconds(10));
        downloader = new ModuleDownloader(http, dir.resolve("incoming"), 1 << 20);
    }

    @AfterEach
    void stop() throws Exception {
        http.close();
        https.close();
        plain.close();
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void aRedirectToPlainHttpIsRefusedAndNothingIsFetchedOverHttp() throws Exception {
        for (int code : new int[] {301, 302, 303, 307, 308}) {
            String http = "http://mirror:s3cret@127.0.0.1:" + plain.uri("/").getPort() + "/x.cxm?token=t0k";
            https.on("/r" + code, LoopbackHttp.redirect(code, http));
            ModuleFailure e = assertThrows(ModuleFailure.class,
                    () -> downloader.fetch(https.uri("/r" + code).toString(), sha256(PACKAGE)));
            assertTrue(e.getMessage().startsWith("download refused: the redirect from " + https.uri("/r" + code)
                    + " must be an https:// URL with a host, not http://127.0.0.1:"), code + ": " + e.getMessage());
            assertFalse(e.getMessage().contains("s3cret") || e.getMessage().contains("t0k"), e.getMessage());
        }
        assertEquals(0, plain.requests.size(), "nothing was requested over plain HTTP");
        try (var files = Files.list(dir.resolve("incoming"))) {
            assertEquals(0, files.count(), "no partial download is left");
        }
    }

    @Test
    void httpsRedirectsAreFollowedAndTheLastHopIsChecked() throws Exception {
        https.on("/first", LoopbackHttp.redirect(302, "/second"))
                .on("/second", LoopbackHttp.redirect(307, https.uri("/pkg").toString()))
                .on("/pkg", LoopbackHttp.body(PACKAGE));
        Path file = downloader.fetch(https.uri("/first").toString(), sha256(PACKAGE));
        assertArrayEquals(PACKAGE, Files.readAllBytes(file));
        assertEquals(java.util.List.of("/first", "/second", "/pkg"), https.requests);
    }

    @Test
    void aRedirectLoopEndsAtTheHopLimit() throws Exception {
        https.on("/loop", LoopbackHttp.redirect(302, "/loop"));
        ModuleFailure e = assertThrows(ModuleFailure.class,
                () -> downloader.fetch(https.uri("/loop").toString(), sha256(PACKAGE)));
        assertEquals("download of " + https.uri("/loop") + " was redirected more than 5 times; refused", e.getMessage());
        assertEquals(ModuleDownloader.MAX_REDIRECTS + 1, https.requests.size());
    }

    @Test
    void errorsNeverShowTheUrlsUserInfoOrQuery() throws Exception {
        https.on("/missing", LoopbackHttp.status(404));
        String url = https.uri("/missing").toString() + "?sig=t0k";
        ModuleFailure e = assertThrows(ModuleFailure.class, () -> downloader.fetch(url, sha256(PACKAGE)));
        assertEquals("download of " + https.uri("/missing") + " failed: the server answered HTTP 404", e.getMessage());
        String withUser = https.uri("/missing").toString().replace("https://", "https://cloud:s3cret@");
        e = assertThrows(ModuleFailure.class, () -> downloader.fetch(withUser, sha256(PACKAGE)));
        assertEquals("'url' must not carry a user name or password (user:password@): " + https.uri("/missing"),
                e.getMessage());
        e = assertThrows(ModuleFailure.class, () -> downloader.fetch("http://cloud:s3cret@host/x.cxm", sha256(PACKAGE)));
        assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
    }
}
