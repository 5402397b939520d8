package com.cloudextender.core.module;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/**
 * A refused install, upgrade or configure is visible on site: one WARN line naming the module, the version
 * and the reason (never a temporary file), the module's lastError, and the manager's last refusal.
 */
class ModuleRefusalsTest {
    @TempDir
    Path dir;
    private ModuleHost host;
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();

    @BeforeEach
    void setUp() throws Exception {
        log.start();
        ((Logger) LoggerFactory.getLogger(ModuleManager.class)).addAppender(log);
        host = new ModuleHost(dir);
        host.install(host.simple("tool", "1.0.0", "t"));
    }

    @AfterEach
    void tearDown() {
        ((Logger) LoggerFactory.getLogger(ModuleManager.class)).detachAppender(log);
        host.close();
    }

    private List<String> warnings() {
        return log.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage).toList();
    }

    private ModuleFailure upgrade(Path file, String source) {
        return assertThrows(ModuleFailure.class, () -> host.manager.install(file, source, null,
                new ModuleManager.InstallOptions("tool", true, false)));
    }

    private Map<String, Object> tool() {
        return host.manager.report().stream().filter(m -> m.get("id").equals("tool")).findFirst().orElseThrow();
    }

    @Test
    void aPackageWithAFlippedByteIsLoggedAndReportedByModuleAndPackageName() throws Exception {
        Path pkg = host.simple("tool", "1.1.0", "t2");
        Path download = Files.copy(pkg, dir.resolve("download-4711.cxm"));
        try (RandomAccessFile f = new RandomAccessFile(download.toFile(), "rw")) {
            f.seek(f.length() / 2);
            int b = f.read();
            f.seek(f.length() / 2);
            f.write(b ^ 0x01);
        }
        ModuleFailure e = upgrade(download, "package tool-1.1.0.cxm of module tool");
        assertTrue(e.getMessage().contains("package tool-1.1.0.cxm of module tool"), e.getMessage());
        assertFalse(e.getMessage().contains("download-4711"), e.getMessage());
        String warning = warnings().get(warnings().size() - 1);
        assertTrue(warning.startsWith("Module tool (version not verified): upgrade refused: package refused: package "
                + "tool-1.1.0.cxm of module tool: "), warning);
        assertTrue(tool().get("lastError").toString().startsWith("upgrade refused: package refused"), tool().toString());
        assertEquals("tool", host.manager.lastRefusal().orElseThrow().get("module"));
        assertEquals("{\"version\":\"t\"}", host.hello("tool"), "the installed version keeps serving");
    }

    @Test
    void anEntryEscapingTheFolderIsLoggedAndReported() throws Exception {
        Path pkg = host.simple("tool", "1.2.0", "t3");
        Path hostile = dir.resolve("download-4712.cxm");
        try (ZipFile in = new ZipFile(pkg.toFile()); OutputStream os = Files.newOutputStream(hostile);
                ZipOutputStream out = new ZipOutputStream(os)) {
            for (ZipEntry e : java.util.Collections.list(in.entries())) {
                out.putNextEntry(new ZipEntry(e.getName()));
                try (InputStream is = in.getInputStream(e)) {
                    is.transferTo(out);
                }
                out.closeEntry();
            }
            out.putNextEntry(new ZipEntry("lib/../../evil.jar"));
            out.write(new byte[] {1, 2, 3});
            out.closeEntry();
        }
        upgrade(hostile, "package tool-1.2.0.cxm of module tool");
        String warning = warnings().get(warnings().size() - 1);
        assertTrue(warning.contains("upgrade refused") && warning.contains("tool-1.2.0.cxm")
                && warning.contains("evil.jar"), warning);
        assertTrue(tool().get("lastError").toString().contains("evil.jar"), tool().toString());
    }

    @Test
    void anUnknownSignerIsLoggedWithTheSignersName() throws IOException {
        var stranger = com.cloudextender.core.module.pack.TestPublisher.create("Somebody Else");
        Path foreign = host.signedBy(stranger, "newcomer", "1.0.0", "n", "");
        ModuleFailure e = assertThrows(ModuleFailure.class, () -> host.manager.install(foreign,
                "package newcomer-1.0.0.cxm", null, ModuleManager.InstallOptions.DEFAULT));
        String warning = warnings().get(warnings().size() - 1);
        assertTrue(warning.startsWith("Module (module not known) (version not verified): install refused: "), warning);
        assertTrue(warning.contains("newcomer-1.0.0.cxm") && warning.contains("unknown publisher")
                && warning.contains("Somebody Else"), warning);
        Map<String, Object> last = host.manager.lastRefusal().orElseThrow();
        assertEquals("install", last.get("operation"));
        assertEquals(e.getMessage(), last.get("lastError"));
    }

    @Test
    void aRefusedConfigurationNamesTheModuleTheVersionAndTheKey() {
        assertThrows(ModuleFailure.class, () -> host.manager.configure("tool", Map.of("colour", "red")));
        String warning = warnings().get(warnings().size() - 1);
        assertTrue(warning.startsWith("Module tool 1.0.0: configure refused: ") && warning.contains("colour"), warning);
        assertTrue(tool().get("lastError").toString().startsWith("configure of version 1.0.0 refused: "), tool().toString());
        assertEquals("1.0.0", host.manager.lastRefusal().orElseThrow().get("version"));
    }
}
