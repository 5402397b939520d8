package com.cloudextender.devcloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;

import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smackx.httpfileupload.element.Slot;
import org.jxmpp.jid.impl.JidCreate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.cloudextender.core.protocol.FencedSlotRequest;
import com.cloudextender.core.protocol.LeaseIq;

/** Customer-wide leases over the wire, and uploads fenced by their generation (docs/PROTOCOL.md section 11). */
class LeasesTest {
    @TempDir
    Path dir;
    DevCloud cloud;
    FakeExtender one;
    FakeExtender two;

    @BeforeEach
    void start() throws Exception {
        cloud = DevCloud.start(DevCloudOptions.ephemeral(dir));
        one = FakeExtender.register(cloud, "acme").connectDirectTls();
        two = FakeExtender.register(cloud, "acme").connectDirectTls();
    }

    @AfterEach
    void stop() {
        one.close();
        two.close();
        cloud.close();
    }

    private LeaseIq lease(FakeExtender x, String op) throws Exception {
        LeaseIq request = LeaseIq.request("directory.sync", op, 0);
        request.setTo(JidCreate.domainBareFrom(cloud.domain()));
        return x.connection().sendIqRequestAndWaitForResponse(request);
    }

    private Slot fencedSlot(FakeExtender x, byte[] content, long generation) throws Exception {
        FencedSlotRequest request = new FencedSlotRequest(JidCreate.domainBareFrom(cloud.domain()), "directory-1.gz",
                content.length, "application/gzip", "directory.sync", generation);
        return x.connection().sendIqRequestAndWaitForResponse(request);
    }

    private int put(Slot slot, byte[] content) throws Exception {
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        HttpRequest request = HttpRequest.newBuilder(URI.create(slot.getPutUrl().toString()))
                .header("Authorization", slot.getHeaders().get("Authorization")).header("X-Content-SHA256", sha)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content)).build();
        return new Api(cloud).send(HttpRequest.newBuilder(request, (n, v) -> true), null).status();
    }

    @Test
    void theLeaseGoesToOneExtenderAndMovesWhenItsTermRunsOut() throws Exception {
        cloud.leaseTerm(Duration.ofMillis(600));
        LeaseIq first = lease(one, LeaseIq.ACQUIRE);
        assertEquals(LeaseIq.HELD, first.state());
        assertEquals(1, first.generation());
        assertEquals(600, first.termMillis());
        LeaseIq refused = lease(two, LeaseIq.ACQUIRE);
        assertEquals(LeaseIq.TAKEN, refused.state());
        assertEquals(one.id, refused.holder());
        assertTrue(refused.retryMillis() > 0 && refused.retryMillis() <= 600, "retry-ms " + refused.retryMillis());

        Thread.sleep(700); // the holder stopped renewing
        LeaseIq takeover = lease(two, LeaseIq.ACQUIRE);
        assertEquals(LeaseIq.HELD, takeover.state());
        assertEquals(2, takeover.generation());
        assertEquals(LeaseIq.TAKEN, lease(one, LeaseIq.ACQUIRE).state(), "the former holder learns it lost the lease");
    }

    @Test
    void aFormerHoldersUploadIsRefusedAtTheSlotAndDroppedAtThePut() throws Exception {
        cloud.leaseTerm(Duration.ofMillis(600));
        assertEquals(1, lease(one, LeaseIq.ACQUIRE).generation());
        byte[] content = "{\"op\":\"upsert\"}\n".getBytes(StandardCharsets.UTF_8);
        Slot early = fencedSlot(one, content, 1); // granted while generation 1 is current
        Thread.sleep(700);
        assertEquals(2, lease(two, LeaseIq.ACQUIRE).generation());

        XMPPException.XMPPErrorException refused = assertThrows(XMPPException.XMPPErrorException.class,
                () -> fencedSlot(one, content, 1));
        assertEquals(StanzaError.Condition.conflict, refused.getStanzaError().getCondition());
        assertTrue(refused.getStanzaError().getDescriptiveText().contains("generation 1 is stale"),
                refused.getStanzaError().getDescriptiveText());
        assertEquals(409, put(early, content), "a slot given before generation 2 began is dropped at its PUT");
        assertEquals(201, put(fencedSlot(two, content, 2), content), "the new holder's upload is stored");
        assertEquals(1, cloud.uploads().stream().filter(UploadView::complete).count());
    }

    @Test
    void aReleasedLeaseIsGrantedToTheNextAskerAtOnce() throws Exception {
        assertEquals(LeaseIq.HELD, lease(one, LeaseIq.ACQUIRE).state());
        assertEquals(LeaseIq.RELEASED, lease(one, LeaseIq.RELEASE).state());
        LeaseIq next = lease(two, LeaseIq.ACQUIRE);
        assertEquals(LeaseIq.HELD, next.state());
        assertEquals(2, next.generation());
    }
}
