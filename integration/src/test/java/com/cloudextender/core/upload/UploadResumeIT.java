package com.cloudextender.core.upload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.util.Timeout;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smackx.httpfileupload.element.Slot;
import org.jivesoftware.smackx.httpfileupload.element.SlotRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jxmpp.jid.impl.JidCreate;

import com.cloudextender.api.UploadReceipt;
import com.cloudextender.core.Extender;
import com.cloudextender.core.proxy.OutboundHttp;
import com.cloudextender.core.proxy.ProxyDecision;
import com.cloudextender.demo.ExtenderFixture;
import com.cloudextender.devcloud.DevCloud;
import com.cloudextender.devcloud.DevCloudOptions;
import com.cloudextender.devcloud.UploadView;

/**
 * An upload cut halfway resumes where the cloud's copy ends (docs/PROTOCOL.md section 7: HEAD gives
 * {@code Upload-Offset}, the next PUT carries {@code Content-Range}) and does not send again what arrived.
 * The extender's {@link Uploader} against the dev cloud's upload endpoint, through a relay that resets the
 * first connection after half of the file.
 */
class UploadResumeIT {
    private static final int SIZE = 4 * 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void anUploadCutHalfwayResumesWithoutSendingAgainWhatArrived() throws Exception {
        byte[] content = new byte[SIZE];
        new Random(16).nextBytes(content); // incompressible: bytes on the wire follow the file
        Path file = Files.write(dir.resolve("users-0001.json.gz"), content);
        try (DevCloud cloud = DevCloud.start(DevCloudOptions.ephemeral(dir.resolve("cloud")));
                Extender x = ExtenderFixture.install(dir.resolve("x"), cloud, "acme", "machine-upload", false, Map.of())
                        .start();
                CuttingTcpProxy relay = new CuttingTcpProxy(cloud.apiUrl().getPort(), SIZE / 2);
                CloseableHttpClient http = OutboundHttp.client(ProxyDecision.direct(), trusting(cloud.certificatePem()),
                        Timeout.ofSeconds(20))) {
            assertTrue(x.awaitConnected(Duration.ofSeconds(30)), x.channelStatus().toString());
            Uploader uploader = new Uploader((name, size, type) -> {
                try {
                    SlotRequest request = new SlotRequest(JidCreate.domainBareFrom(cloud.domain()), name, size, type);
                    IQ answer = x.channel().query(request).get(10, TimeUnit.SECONDS);
                    Slot slot = (Slot) answer;
                    URL put = slot.getPutUrl();
                    // The same URL through the relay: TLS still ends at the dev cloud, for the same host name.
                    URL relayed = new URL(put.getProtocol(), put.getHost(), relay.port(), put.getFile());
                    return new Slot(relayed, slot.getGetUrl(), slot.getHeaders());
                } catch (Exception e) {
                    throw new UploadException("no slot: " + e, e);
                }
            }, http);

            UploadReceipt receipt = uploader.upload(file, "users-0001.json.gz", "application/gzip");

            UploadView stored = cloud.uploads().stream().filter(u -> u.filename().equals("users-0001.json.gz"))
                    .findFirst().orElseThrow();
            assertTrue(stored.complete(), stored.toString());
            assertEquals(receipt.sha256(), stored.sha256());
            assertArrayEquals(content, Files.readAllBytes(stored.file()));
            long sent = relay.clientBytes.get();
            System.out.printf("Upload of %d bytes cut after %d: %d bytes sent in all (%.2f x the file)%n", SIZE,
                    SIZE / 2, sent, sent / (double) SIZE);
            // Everything again would be 1.5 x and more. The cloud received every byte before the cut; only the
            // TLS record cut in two, the HEAD and two sets of headers and handshakes go on top.
            assertTrue(sent < SIZE * 1.1, "sent " + sent + " bytes for a file of " + SIZE + ": what arrived went again");
        }
    }

    private static SSLContext trusting(Path pem) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(pem)) {
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("dev-cloud-" + i++, c);
            }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
        return tls;
    }
}
