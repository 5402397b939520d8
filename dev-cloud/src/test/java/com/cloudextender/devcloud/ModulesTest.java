package com.cloudextender.devcloud;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.cloudextender.devcloud.modules.ModuleEntry;
import com.cloudextender.devcloud.modules.PackageRefusedException;
import com.cloudextender.devcloud.modules.TestPackages;
import com.fasterxml.jackson.databind.JsonNode;

/** The module repository through the console and the download path. */
class ModulesTest extends WithDevCloud {

    private Api.Response publish(byte[] cxm, String query, String bearer) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(cloud.apiUrl().resolve("/api/v1/modules" + query))
                .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(cxm));
        return new Api(cloud).send(request, bearer);
    }

    private HttpResponse<byte[]> download(String rawPath) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(cloud.apiUrl() + rawPath))
                .timeout(Duration.ofSeconds(20)).GET().build();
        return new Api(cloud).http().send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void aPackagePublishedThroughTheConsoleIsListedAndDownloadsByteForByteWithoutAToken() throws Exception {
        byte[] cxm = TestPackages.bytes("directory", "1.3.0-rc.1");

        Api.Response created = publish(cxm, "?channel=pre-release", cloud.consoleToken());

        assertEquals(201, created.status(), created.body());
        JsonNode entry = created.json();
        assertEquals("directory", entry.get("id").asText());
        assertEquals("1.3.0-rc.1", entry.get("version").asText());
        assertEquals("pre-release", entry.get("channel").asText());
        assertEquals(cxm.length, entry.get("size").asLong());
        JsonNode list = new Api(cloud).get("/api/v1/modules", cloud.consoleToken()).json();
        assertEquals(1, list.size());
        assertEquals(entry.get("sha256"), list.get(0).get("sha256"));

        HttpResponse<byte[]> got = download(entry.get("path").asText());

        assertEquals(200, got.statusCode());
        assertArrayEquals(cxm, got.body());
        assertEquals(entry.get("sha256").asText(), got.headers().firstValue("X-Content-SHA256").orElseThrow());
    }

    @Test
    void publishingNeedsTheConsoleTokenAndAKnownChannel() throws Exception {
        byte[] cxm = TestPackages.bytes("directory", "1.0.0");

        assertEquals(401, publish(cxm, "", null).status());
        Api.Response badChannel = publish(cxm, "?channel=beta", cloud.consoleToken());

        assertEquals(400, badChannel.status());
        assertTrue(badChannel.json().get("error").asText().contains("use stable or pre-release"), badChannel.body());
        assertTrue(cloud.modules().isEmpty());
    }

    @Test
    void badPackagesAndDuplicatesAreRefusedWithClearMessages() throws Exception {
        Api.Response notZip = publish("hello".getBytes(), "", cloud.consoleToken());
        Api.Response noDescriptor = publish(TestPackages.zip(null), "", cloud.consoleToken());
        Api.Response noActions = publish(TestPackages.zip("id=mod\nversion=1\ncore.minVersion=0.1\nmain.class=m.Main\n"), "",
                cloud.consoleToken());
        assertEquals(201, publish(TestPackages.bytes("mod", "1"), "?channel=stable", cloud.consoleToken()).status());
        Api.Response duplicate = publish(TestPackages.bytes("mod", "1"), "?channel=pre-release", cloud.consoleToken());

        assertEquals(400, notZip.status());
        assertTrue(notZip.json().get("error").asText().startsWith("the package is not a zip file"), notZip.body());
        assertEquals(400, noDescriptor.status());
        assertTrue(noDescriptor.json().get("error").asText().contains("no module.properties"), noDescriptor.body());
        assertEquals(400, noActions.status());
        assertTrue(noActions.json().get("error").asText().endsWith("module [mod] 1: property [actions] is missing"),
                noActions.body());
        assertEquals(409, duplicate.status());
        assertTrue(duplicate.json().get("error").asText().contains("already published"), duplicate.body());
        assertEquals(1, cloud.modules().size());
    }

    @Test
    void onlyIndexedFileNamesAreServed() throws Exception {
        cloud.publishModule(TestPackages.write(dir.resolve("build"), "mod", "1.0.0"), "stable");

        assertEquals(200, download("/modules/mod-1.0.0.cxm").statusCode());
        for (String path : new String[] {"/modules/mod-2.0.0.cxm", "/modules/index.json", "/modules/",
                "/modules/../registry.json", "/modules/..%2Fregistry.json", "/modules/%2e%2e/console-token",
                "/modules/mod-1.0.0.cxm/", "/modules/MOD-1.0.0.cxm"}) {
            HttpResponse<byte[]> refused = download(path);
            assertEquals(404, refused.statusCode(), path);
            assertFalse(new String(refused.body()).contains(cloud.consoleToken()), path);
        }
    }

    @Test
    void theIndexAndTheDownloadsSurviveARestart() throws Exception {
        ModuleEntry published = cloud.publishModule(TestPackages.write(dir.resolve("build"), "mod", "2.1"), "stable");
        cloud.close();

        cloud = DevCloud.start(DevCloudOptions.ephemeral(dir));

        assertEquals(List.of(published), cloud.modules());
        HttpResponse<byte[]> got = download("/modules/" + published.file());
        assertEquals(200, got.statusCode());
        assertArrayEquals(TestPackages.bytes("mod", "2.1"), got.body());
    }

    @Test
    void theJavaApiRefusesAnUnknownChannelAndADuplicate() throws Exception {
        Path cxm = TestPackages.write(dir.resolve("build"), "mod", "1");
        cloud.publishModule(cxm, "stable");

        assertThrows(IllegalArgumentException.class, () -> cloud.publishModule(cxm, "nightly"));
        PackageRefusedException duplicate = assertThrows(PackageRefusedException.class,
                () -> cloud.publishModule(cxm, "stable"));
        assertTrue(duplicate.conflict());
    }

    @Test
    void aSeparateModulesFolderCanBeGiven() throws Exception {
        cloud.close();
        Path folder = dir.resolve("elsewhere");
        cloud = DevCloud.start(new DevCloudOptions(dir, "localhost", 0, 0, 0, folder));

        ModuleEntry entry = cloud.publishModule(TestPackages.write(dir.resolve("build"), "mod", "1"), "stable");

        assertTrue(folder.resolve(entry.file()).toFile().isFile());
        assertTrue(folder.resolve("index.json").toFile().isFile());
    }
}
