package com.cloudextender.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.cloudextender.core.secret.MachineKey;
import com.cloudextender.core.secret.SecretBox;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private Path write(String text) throws IOException {
        Path conf = dir.resolve("conf");
        Files.createDirectories(conf);
        Path f = conf.resolve("extender.properties");
        Files.writeString(f, text);
        return f;
    }

    private SecretBox box(String machine) {
        return new SecretBox(MachineKey.open(dir.resolve("data"), machine));
    }

    @Test
    void readsValuesAndDefaults() throws IOException {
        Path f = write("cloud.host=cloud.test\ncloud.tls=starttls\ncloud.port=5222\ncommands.timeout=90s\n"
                + "xmpp.username=ext\nxmpp.password=pw\ncloud.addresses=cloud@cloud.test, other@cloud.test\n");
        ExtenderConfig c = ConfigLoader.load(f, box("m1"));
        assertEquals("cloud.test", c.cloud().host());
        assertEquals(5222, c.cloud().port());
        assertEquals(TlsMode.STARTTLS, c.cloud().tls());
        assertEquals("cloud.test", c.cloud().xmppDomain());
        assertEquals(Duration.ofSeconds(90), c.commands().timeout());
        assertEquals(8, c.commands().workers());
        assertEquals(2, c.cloud().addresses().size());
        assertEquals(dir.resolve("data"), c.dataDir());
    }

    @Test
    void missingRequiredKeyIsNamed() throws IOException {
        Path f = write("cloud.port=443\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(f, box("m1")));
        assertTrue(e.getMessage().startsWith("cloud.host: missing"), e.getMessage());
    }

    @Test
    void unknownKeyIsRejected() throws IOException {
        Path f = write("cloud.host=h\ncomands.workers=4\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(f, box("m1")));
        assertTrue(e.getMessage().contains("comands.workers"), e.getMessage());
    }

    @Test
    void badValuesNameKeyAndProblem() throws IOException {
        assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.load(write("cloud.host=h\ncloud.port=70000\n"),
                box("m1"))).getMessage().contains("cloud.port: 70000 is out of range"));
        assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.load(write("cloud.host=h\nhealth.interval=soon\n"),
                box("m1"))).getMessage().contains("health.interval: 'soon' is not a duration"));
        assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.load(write("cloud.host=h\ncloud.tls=ssl\n"),
                box("m1"))).getMessage().contains("cloud.tls: 'ssl' is not allowed"));
        assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.load(
                write("cloud.host=h\nproxy.host=p\nproxy.username=u\n"), box("m1"))).getMessage()
                .startsWith("proxy.password: missing"));
        assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.load(
                write("cloud.host=h\ncloud.apiUrl=http://plain\nactivation.code=x\n"), box("m1"))).getMessage()
                .contains("must be an https:// URL"));
    }

    @Test
    void clearSecretsAreEncryptedInTheFileAndCommentsKept() throws IOException {
        Path f = write("# my comment\ncloud.host=h\nxmpp.username=ext\nxmpp.password=S3cret-Value!\n"
                + "proxy.host=p\nproxy.username=u\nproxy.password = Pr0xy:Pass\n");
        ExtenderConfig c = ConfigLoader.load(f, box("m1"));
        assertEquals("S3cret-Value!", c.xmppAccount().orElseThrow().password());
        assertEquals("Pr0xy:Pass", c.proxy().orElseThrow().password().orElseThrow());
        String onDisk = Files.readString(f);
        assertFalse(onDisk.contains("S3cret-Value!"), onDisk);
        assertFalse(onDisk.contains("Pr0xy:Pass"), onDisk);
        assertTrue(onDisk.contains("# my comment"));
        assertTrue(onDisk.contains("xmpp.password=enc:v2:"));
        // A second load reads the sealed values back.
        assertEquals("S3cret-Value!", ConfigLoader.load(f, box("m1")).xmppAccount().orElseThrow().password());
        // And the secret never shows in toString (which is what a log line would print).
        assertFalse(c.toString().contains("S3cret-Value!"));
        assertFalse(c.toString().contains("Pr0xy:Pass"));
    }

    @Test
    void aSecretSpeltWithEscapesOrContinuedOntoTheNextLineIsSealedToo() throws IOException {
        // The file is read by the properties format: "\w" is "w", and a trailing backslash continues the value.
        Path f = write("cloud.host=h\nxmpp.username=ext\nxmpp.pass\\word=Esc4ped\n"
                + "proxy.host=p\nproxy.username=u\nproxy.password=Cont\\\n   inued\nafter=kept\n");
        assertThrows(ConfigException.class, () -> ConfigLoader.load(f, box("m1")), "after is not a known key");
        String onDisk = Files.readString(f);
        assertFalse(onDisk.contains("Esc4ped"), onDisk);
        assertFalse(onDisk.contains("Cont") || onDisk.contains("inued"), onDisk);
        assertTrue(onDisk.contains("after=kept"), onDisk);
        Files.writeString(f, onDisk.replace("after=kept\n", ""));
        ExtenderConfig c = ConfigLoader.load(f, box("m1"));
        assertEquals("Esc4ped", c.xmppAccount().orElseThrow().password());
        assertEquals("Continued", c.proxy().orElseThrow().password().orElseThrow());
    }

    @Test
    void aMalformedUnicodeEscapeIsNamedWithItsLine() throws IOException {
        Path f = write("cloud.host=h\nxmpp.username=ext\nproxy.note=C:\\\\users\\unknown\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(f, box("m1")));
        assertTrue(e.getMessage().contains("malformed \\uXXXX escape on line 3"), e.getMessage());
    }

    @Test
    void sealedSecretFromAnotherMachineIsNamed() throws IOException {
        Path f = write("cloud.host=h\nxmpp.username=ext\nxmpp.password=pw\n");
        ConfigLoader.load(f, box("machine-A"));
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(f, box("machine-B")));
        assertTrue(e.getMessage().startsWith("xmpp.password: the encrypted value cannot be opened on this machine"),
                e.getMessage());
    }

    @Test
    void commandLimitsHaveSafeDefaultsAndAreChecked() throws IOException {
        ExtenderConfig c = ConfigLoader.load(write("cloud.host=h\n"), box("m1"));
        assertEquals(Duration.ofHours(1), c.commands().maxTimeout());
        assertEquals(64L << 20, c.commands().queueBytes());
        assertEquals(Duration.ofMinutes(10), ConfigLoader.load(write("cloud.host=h\ncommands.maxTimeout=10m\n"
                + "commands.queueBytes=2097152\n"), box("m1")).commands().maxTimeout());
        assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.load(write(
                "cloud.host=h\ncommands.maxTimeout=30d\n"), box("m1"))).getMessage()
                .startsWith("commands.maxTimeout: "));
        assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.load(write(
                "cloud.host=h\ncommands.timeout=2h\n"), box("m1"))).getMessage()
                .contains("longer than commands.maxTimeout"));
        assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.load(write(
                "cloud.host=h\ncommands.queueBytes=4096\n"), box("m1"))).getMessage()
                .startsWith("commands.queueBytes: 4096 is smaller than commands.maxArgumentBytes"));
    }

    @Test
    void shippedConfigurationDocumentsTheCommandLimits() throws IOException {
        String shipped = Files.readString(Path.of("..", "conf", "extender.properties"));
        assertTrue(shipped.contains("\ncommands.maxTimeout=1h\n"), "commands.maxTimeout is not in conf/extender.properties");
        assertTrue(shipped.contains("\ncommands.queueBytes=67108864\n"), "commands.queueBytes is not in conf/extender.properties");
    }

    @Test
    void theRewriteKeepsTheFileModeAndANewSaltIsOwnerOnly() throws IOException {
        Path f = write("cloud.host=h\nxmpp.username=ext\nxmpp.password=pw\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r-----"));
        ConfigLoader.load(f, box("m1"));
        assertTrue(Files.readString(f).contains("xmpp.password=enc:v2:"));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("data").resolve("keys").resolve("machine.salt"))));
    }

    @Test
    void aValueSealedByAnEarlierVersionIsReadThenSealedAgainBoundToItsKey() throws IOException {
        SecretBox box = box("m1");
        String legacy = "enc:v1:" + java.util.Base64.getEncoder().encodeToString(
                box.sealBytes("old-pw".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        Path f = write("cloud.host=h\nxmpp.username=ext\nxmpp.password=" + legacy + "\n");
        assertEquals("old-pw", ConfigLoader.load(f, box).xmppAccount().orElseThrow().password());
        String onDisk = Files.readString(f);
        assertFalse(onDisk.contains("enc:v1:"), onDisk);
        String resealed = onDisk.lines().filter(l -> l.startsWith("xmpp.password=")).findFirst().orElseThrow()
                .substring("xmpp.password=".length());
        assertTrue(resealed.startsWith("enc:v2:"), resealed);
        assertEquals("old-pw", box.open("xmpp.password", resealed));
    }

    @Test
    void aSealedValueCopiedUnderAnotherKeyIsRefusedNamingThatKey() throws IOException {
        Path f = write("cloud.host=h\nproxy.host=p\nproxy.username=u\nproxy.password=pw\n");
        ConfigLoader.load(f, box("m1"));
        String sealed = Files.readString(f).lines().filter(l -> l.startsWith("proxy.password=")).findFirst()
                .orElseThrow().substring("proxy.password=".length());
        Files.writeString(f, "cloud.host=h\nxmpp.username=ext\nxmpp.password=" + sealed + "\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(f, box("m1")));
        assertTrue(e.getMessage().startsWith("xmpp.password: the encrypted value cannot be opened"), e.getMessage());
    }

    @Test
    void moduleTrustSettingsAreReadStrictly() throws IOException {
        String fp = "D5:A6:5F:C8:54:79:E5:E9:7E:1B:24:90:E0:1A:BD:C5:46:39:21:BA:AA:D4:D7:3B:AB:72:B2:4F:2C:97:2A:CE";
        ExtenderConfig c = ConfigLoader.load(write("cloud.host=h\nmodules.allowDevelopmentPublisher=true\n"
                + "modules.deniedPublishers=" + fp + ", " + "ab".repeat(32) + "\nmodules.directory.minimumVersion=1.4.0\n"),
                box("m1"));
        assertTrue(c.modules().allowDevelopmentPublisher());
        assertEquals(java.util.Set.of("d5a65fc85479e5e97e1b2490e01abdc5463921baaad4d73bab72b24f2c972ace", "ab".repeat(32)),
                c.modules().deniedPublishers());
        assertEquals("1.4.0", c.modules().minimumVersions().get("directory").toString());

        ExtenderConfig defaults = ConfigLoader.load(write("cloud.host=h\n"), box("m1"));
        assertFalse(defaults.modules().allowDevelopmentPublisher(), "the development publisher is refused by default");
        assertTrue(defaults.modules().deniedPublishers().isEmpty());
        assertTrue(defaults.modules().minimumVersions().isEmpty());

        assertEquals("modules.allowDevelopmentPublisher: 'yes' is not allowed; write true or false",
                assertThrows(ConfigException.class, () -> ConfigLoader.load(write(
                        "cloud.host=h\nmodules.allowDevelopmentPublisher=yes\n"), box("m1"))).getMessage());
        assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.load(write(
                "cloud.host=h\nmodules.deniedPublishers=CN=Evil\n"), box("m1"))).getMessage()
                .startsWith("modules.deniedPublishers: 'CN=Evil' is not a SHA-256 fingerprint"));
        assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.load(write(
                "cloud.host=h\nmodules.directory.minimumVersion=latest\n"), box("m1"))).getMessage()
                .startsWith("modules.directory.minimumVersion: 'latest' is not a version"));
        assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.load(write(
                "cloud.host=h\nmodules.directory.minimumVersoin=1.0\n"), box("m1"))).getMessage()
                .contains("modules.directory.minimumVersoin"), "a misspelt per-module key is unknown");
    }
}
