package com.cloudextender.core.diagnose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SupportBundleTest {
    @TempDir
    Path home;

    @Test
    void redactsSecretKeysSealedOrClearActiveOrCommented() {
        List<String> out = SecretRedactor.redact(List.of("activation.code=enc:v1:AAAA", "proxy.password = hunter2",
                "#xmpp.password=old-one", "profile.corp.bindPassword=s3cret", "api.token: t0k", "cloud.host=c.example",
                "# Secrets may be written in clear", "#proxy.password="));
        assertEquals(List.of("activation.code=<removed>", "proxy.password = <removed>", "#xmpp.password=<removed>",
                "profile.corp.bindPassword=<removed>", "api.token: <removed>", "cloud.host=c.example",
                "# Secrets may be written in clear", "#proxy.password="), out);
    }

    @Test
    void aContinuedSecretValueIsRemovedWhole() {
        assertEquals(List.of("proxy.password=<removed>", "cloud.host=x"),
                SecretRedactor.redact(List.of("proxy.password=first\\", "  second", "cloud.host=x")));
    }

    @Test
    void bundleHoldsConfigurationLogsAndStatusButNoSecretNorKeysOrStore() throws Exception {
        Path conf = home.resolve("conf/extender.properties");
        Files.createDirectories(home.resolve("conf/modules"));
        Files.writeString(conf, "# comment\ncloud.host=c.example\nactivation.code=CODE-1234\nproxy.password=enc:v1:SEALEDVALUE\n");
        Files.writeString(home.resolve("conf/modules/directory.properties"),
                "profile.corp.bindPassword=Dir-Pa55\nprofile.corp.bindDn=cn=svc\n");
        Files.createDirectories(home.resolve("data/keys"));
        Files.writeString(home.resolve("data/keys/salt"), "KEY-MATERIAL");
        Files.writeString(home.resolve("data/store.mv.db"), "STORE");
        Files.writeString(home.resolve("data/status.json"), "{\"channel\":{\"state\":\"CONNECTED\"}}");
        Files.createDirectories(home.resolve("logs"));
        Files.writeString(home.resolve("logs/extender.log"), "INFO started\n");
        Path zip = home.resolve("bundle.zip");

        new SupportBundle(conf, home.resolve("data"), home.resolve("conf/modules"), home.resolve("logs"))
                .write(zip, "OK    configuration\n");

        Map<String, String> entries = read(zip);
        assertEquals(List.of("conf/extender.properties", "conf/modules/directory.properties", "data/status.json",
                "diagnose.txt", "logs/extender.log", "system.txt"), List.copyOf(entries.keySet()));
        assertTrue(entries.get("conf/extender.properties").contains("cloud.host=c.example\n"));
        assertTrue(entries.get("conf/modules/directory.properties").contains("bindDn=cn=svc"));
        assertTrue(entries.get("system.txt").contains("Java "));
        String all = String.join("\n", entries.values());
        for (String secret : List.of("CODE-1234", "SEALEDVALUE", "Dir-Pa55", "KEY-MATERIAL", "STORE")) {
            assertFalse(all.contains(secret), secret + " must not be in the bundle");
        }
    }

    @Test
    void logsAreCappedToTheEndOfEachFile() throws Exception {
        Path conf = home.resolve("conf/extender.properties");
        Files.createDirectories(conf.getParent());
        Files.writeString(conf, "cloud.host=c\n");
        Files.createDirectories(home.resolve("logs"));
        byte[] big = new byte[(int) SupportBundle.FILE_CAP + 10];
        big[big.length - 1] = 'Z';
        Files.write(home.resolve("logs/big.log"), big);
        Path zip = home.resolve("b.zip");
        new SupportBundle(conf, home.resolve("data"), home.resolve("conf/modules"), home.resolve("logs")).write(zip, "");
        String log = read(zip).get("logs/big.log");
        assertEquals(SupportBundle.FILE_CAP, log.length());
        assertTrue(log.endsWith("Z"), "the end of a log is kept");
    }

    private static Map<String, String> read(Path zip) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                out.put(e.getName(), new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
            }
        }
        return out;
    }
}
