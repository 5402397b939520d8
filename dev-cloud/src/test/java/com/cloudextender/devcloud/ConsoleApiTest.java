package com.cloudextender.devcloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.jxmpp.jid.impl.JidCreate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.cloudextender.core.protocol.CommandIq;
import com.cloudextender.devcloud.upload.SlotRequestIq;
import com.fasterxml.jackson.databind.JsonNode;

/** The console REST API and its bearer token. */
class ConsoleApiTest extends WithDevCloud {
    Api api;

    @BeforeEach
    void api() throws Exception {
        api = new Api(cloud);
    }

    @Test
    void theTokenIsRequired() throws Exception {
        Api.Response none = api.get("/api/v1/extenders", null);
        Api.Response wrong = api.get("/api/v1/extenders", "not-the-token");

        assertEquals(401, none.status());
        assertTrue(none.json().get("error").asText().contains("Authorization: Bearer"), none.body());
        assertEquals("Bearer realm=\"dev-cloud console\"",
                none.raw().headers().firstValue("WWW-Authenticate").orElseThrow());
        assertEquals(401, wrong.status());
        assertEquals(401, api.post("/api/v1/activation-codes", "{\"customer\":\"acme\"}", null).status());
        assertEquals(200, api.get("/api/v1/extenders", cloud.consoleToken()).status());
    }

    @Test
    void theTokenIsKeptInAnOwnerOnlyFileAndReusedAfterARestart() throws Exception {
        Path file = dir.resolve(DevCloud.CONSOLE_TOKEN_FILE);
        assertEquals(cloud.consoleToken(), Files.readString(file).trim());
        if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        }
        String token = cloud.consoleToken();
        cloud.close();
        cloud = DevCloud.start(DevCloudOptions.ephemeral(dir));
        assertEquals(token, cloud.consoleToken());
    }

    @Test
    void extendersAreListedWithConnectionAndHealth() throws Exception {
        try (FakeExtender online = FakeExtender.register(cloud, "acme").connectDirectTls()) {
            FakeExtender offline = FakeExtender.register(cloud, "globex");
            online.sendHealth("healthy");

            JsonNode list = api.get("/api/v1/extenders", cloud.consoleToken()).json();

            assertEquals(2, list.size());
            JsonNode first = list.get(0).get("id").asText().equals(online.id) ? list.get(0) : list.get(1);
            JsonNode second = first == list.get(0) ? list.get(1) : list.get(0);
            assertEquals("acme", first.get("customer").asText());
            assertTrue(first.get("connected").asBoolean());
            assertEquals("healthy", first.get("lastHealth").get("state").asText());
            assertFalse(first.get("connectedSince").isNull());
            assertEquals(offline.id, second.get("id").asText());
            assertFalse(second.get("connected").asBoolean());
            assertTrue(second.get("lastHealth").isNull());
        }
    }

    @Test
    void anActivationCodeFromTheConsoleRegistersExtenders() throws Exception {
        Api.Response created = api.post("/api/v1/activation-codes", "{\"customer\":\"acme\"}", cloud.consoleToken());
        assertEquals(201, created.status());
        String code = created.json().get("code").asText();

        Api.Response registered = api.post("/api/v1/register",
                "{\"activationCode\":\"" + code + "\",\"hostname\":\"h\",\"version\":\"1\",\"machine\":\"m\"}", null);

        assertEquals(201, registered.status());
        assertEquals("acme", registered.json().get("customerId").asText());
    }

    @Test
    void aCommandSentThroughTheConsoleReturnsItsOutcome() throws Exception {
        try (FakeExtender ext = FakeExtender.register(cloud, "acme").connectDirectTls()) {
            Thread replier = new Thread(() -> {
                try {
                    CommandIq command = ext.nextCommand(10);
                    ext.sendResult(command.commandId(), null, "{\"echo\":" + command.arguments() + "}");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            replier.start();

            Api.Response response = api.post("/api/v1/commands", "{\"extender\":\"" + ext.id + "\",\"module\":\"core\","
                    + "\"action\":\"ping\",\"arguments\":{\"a\":1},\"timeoutMs\":5000,\"waitMs\":10000}",
                    cloud.consoleToken());

            replier.join(10_000);
            assertEquals(200, response.status(), response.body());
            JsonNode outcome = response.json();
            assertEquals("done", outcome.get("status").asText());
            assertTrue(outcome.get("ok").asBoolean());
            assertEquals(1, outcome.get("payload").get("echo").get("a").asInt());
            String id = outcome.get("commandId").asText();
            JsonNode status = api.get("/api/v1/commands/" + id, cloud.consoleToken()).json();
            assertEquals("done", status.get("status").asText());
            assertEquals(ext.id, status.get("extenderId").asText());
            assertEquals(ext.id, status.get("target").get("extender").asText());
        }
    }

    @Test
    void aCommandNotDoneWithinWaitMsIsReportedPending() throws Exception {
        FakeExtender ext = FakeExtender.register(cloud, "acme"); // never connects

        Api.Response response = api.post("/api/v1/commands", "{\"customer\":\"acme\",\"module\":\"core\","
                + "\"action\":\"ping\",\"waitMs\":0}", cloud.consoleToken());

        assertEquals(202, response.status(), response.body());
        String id = response.json().get("commandId").asText();
        assertEquals("pending", response.json().get("status").asText());
        JsonNode status = api.get("/api/v1/commands/" + id, cloud.consoleToken()).json();
        assertEquals("pending", status.get("status").asText());
        assertEquals(0, status.get("deliveries").asInt());
        assertEquals("acme", status.get("target").get("customer").asText());
        assertTrue(cloud.extender(ext.id).isPresent());
    }

    @Test
    void badCommandRequestsNameTheProblem() throws Exception {
        Api.Response both = api.post("/api/v1/commands",
                "{\"extender\":\"x\",\"customer\":\"y\",\"module\":\"core\",\"action\":\"ping\"}", cloud.consoleToken());
        Api.Response unknown = api.post("/api/v1/commands",
                "{\"extender\":\"ext-nobody\",\"module\":\"core\",\"action\":\"ping\"}", cloud.consoleToken());
        Api.Response noAction = api.post("/api/v1/commands", "{\"customer\":\"acme\",\"module\":\"core\"}",
                cloud.consoleToken());
        Api.Response unknownCommand = api.get("/api/v1/commands/cmd-nope", cloud.consoleToken());

        assertEquals(400, both.status());
        assertEquals(404, unknown.status());
        assertTrue(unknown.json().get("error").asText().contains("ext-nobody"), unknown.body());
        assertEquals(400, noAction.status());
        assertEquals("field 'action' is missing", noAction.json().get("error").asText());
        assertEquals(404, unknownCommand.status());
    }

    @Test
    void aTimeLimitBeyondSevenDaysIsABadRequestNotAServerError() throws Exception {
        FakeExtender ext = FakeExtender.register(cloud, "acme");
        String body = "{\"extender\":\"" + ext.id + "\",\"module\":\"core\",\"action\":\"ping\",\"waitMs\":0,"
                + "\"timeoutMs\":";

        Api.Response huge = api.post("/api/v1/commands", body + Long.MAX_VALUE + "}", cloud.consoleToken());
        Api.Response justAbove = api.post("/api/v1/commands", body + (604_800_000L + 1) + "}", cloud.consoleToken());
        Api.Response atTheLimit = api.post("/api/v1/commands", body + 604_800_000L + "}", cloud.consoleToken());

        assertEquals(400, huge.status(), huge.body());
        assertTrue(huge.json().get("error").asText().contains("'timeoutMs'"), huge.body());
        assertTrue(huge.json().get("error").asText().contains("at most 604800000"), huge.body());
        assertEquals(400, justAbove.status(), justAbove.body());
        assertEquals(202, atTheLimit.status(), atTheLimit.body());
    }

    @Test
    void sendExitsNonZeroWhenTheOutcomeIsAnError() throws Exception {
        try (FakeExtender ext = FakeExtender.register(cloud, "acme").connectDirectTls()) {
            Thread replier = new Thread(() -> {
                try {
                    ext.sendResult(ext.nextCommand(10).commandId(), "UNKNOWN_MODULE", "{\"message\":\"no\"}");
                    ext.sendResult(ext.nextCommand(10).commandId(), null, "{}");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            replier.start();
            String[] send = {"send", "--data-dir", dir.toString(), "--extender", ext.id, "--module", "nope",
                "--action", "x"};

            int failed = new picocli.CommandLine(new DevCloudMain()).execute(send);
            send[6] = "core";
            int succeeded = new picocli.CommandLine(new DevCloudMain()).execute(send);

            replier.join(10_000);
            assertEquals(1, failed);
            assertEquals(0, succeeded);
        }
    }

    @Test
    void uploadSlotsAreListed() throws Exception {
        try (FakeExtender ext = FakeExtender.register(cloud, "acme").connectDirectTls()) {
            SlotRequestIq request = new SlotRequestIq("devices.json.gz", "1234", "application/gzip");
            request.setTo(JidCreate.domainBareFrom("localhost"));
            ext.connection().sendIqRequestAndWaitForResponse(request);

            JsonNode list = api.get("/api/v1/uploads", cloud.consoleToken()).json();

            assertEquals(1, list.size());
            assertEquals("devices.json.gz", list.get(0).get("filename").asText());
            assertEquals(1234, list.get(0).get("size").asLong());
            assertFalse(list.get(0).get("complete").asBoolean());
        }
    }
}
