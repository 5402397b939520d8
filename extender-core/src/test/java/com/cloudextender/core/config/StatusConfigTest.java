package com.cloudextender.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.cloudextender.core.secret.MachineKey;
import com.cloudextender.core.secret.SecretBox;

/** The status.* keys: defaults, the password rule off loopback, and the password sealed at rest. */
class StatusConfigTest {
    private static final String BASE = "cloud.host=cloud.test\nxmpp.username=ext\nxmpp.password=pw\n"
            + "cloud.addresses=cloud@cloud.test\n";
    @TempDir
    Path dir;

    private Path write(String text) throws IOException {
        Files.createDirectories(dir.resolve("conf"));
        return Files.writeString(dir.resolve("conf/extender.properties"), BASE + text);
    }

    private SecretBox box() {
        return new SecretBox(MachineKey.open(dir.resolve("data"), "m1"));
    }

    @Test
    void thePageIsOnByDefaultOnLoopbackWithoutPassword() throws IOException {
        ExtenderConfig.Status s = ConfigLoader.load(write(""), box()).status();
        assertTrue(s.enabled());
        assertEquals(8099, s.port());
        assertEquals("127.0.0.1", s.bind());
        assertEquals("admin", s.username());
        assertTrue(s.password().isEmpty());
    }

    @Test
    void portZeroTurnsThePageOff() throws IOException {
        assertFalse(ConfigLoader.load(write("status.port=0\n"), box()).status().enabled());
    }

    @Test
    void aNonLoopbackBindWithoutPasswordIsRefusedNamingTheKey() throws IOException {
        Path f = write("status.bind=0.0.0.0\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(f, box()));
        assertTrue(e.getMessage().startsWith("status.password: missing"), e.getMessage());
    }

    @Test
    void thePasswordIsSealedInTheFileAndHiddenFromToString() throws IOException {
        Path f = write("status.bind=0.0.0.0\nstatus.password=St4tusPw!\nstatus.allowPlaintextRemote=true\n");
        ExtenderConfig.Status s = ConfigLoader.load(f, box()).status();
        assertEquals("St4tusPw!", s.password().orElseThrow());
        assertFalse(Files.readString(f).contains("St4tusPw!"), "sealed at rest");
        assertTrue(Files.readString(f).contains("status.password=enc:"));
        assertFalse(s.toString().contains("St4tusPw!"));
    }

    @Test
    void aUserNameWithAColonIsRefused() throws IOException {
        Path f = write("status.username=a:b\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(f, box()));
        assertTrue(e.getMessage().startsWith("status.username:"), e.getMessage());
    }

    @Test
    void aNonLoopbackBindWithoutTlsIsRefusedUnlessPlainHttpIsExplicitlyAllowed() throws IOException {
        Path f = write("status.bind=0.0.0.0\nstatus.password=pw\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(f, box()));
        assertTrue(e.getMessage().startsWith("status.keyStore: missing"), e.getMessage());
        assertTrue(e.getMessage().contains("status.allowPlaintextRemote=true"), e.getMessage());

        Path allowed = write("status.bind=0.0.0.0\nstatus.password=pw\nstatus.allowPlaintextRemote=TRUE\n");
        assertTrue(ConfigLoader.load(allowed, box()).status().allowPlaintextRemote());
    }

    @Test
    void allowPlaintextRemoteIsStrictlyTrueOrFalse() throws IOException {
        Path f = write("status.allowPlaintextRemote=yes\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(f, box()));
        assertEquals("status.allowPlaintextRemote: 'yes' is not allowed; write true or false", e.getMessage());
    }

    @Test
    void aKeyStoreNeedsItsPasswordAndMustOpen() throws IOException {
        Path f = write("status.keyStore=missing.p12\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(f, box()));
        assertTrue(e.getMessage().startsWith("status.keyStorePassword: missing"), e.getMessage());
        Path g = write("status.keyStore=missing.p12\nstatus.keyStorePassword=pw\n");
        e = assertThrows(ConfigException.class, () -> ConfigLoader.load(g, box()));
        assertTrue(e.getMessage().startsWith("status.keyStore: cannot read"), e.getMessage());
        assertTrue(Files.readString(g).contains("status.keyStorePassword=enc:"), "the password is sealed");
    }
}
