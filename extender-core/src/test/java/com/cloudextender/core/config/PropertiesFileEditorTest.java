package com.cloudextender.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PropertiesFileEditorTest {
    @TempDir
    Path dir;

    @Test
    void editsKeyLinesInPlaceKeepsCommentsAndAddsMissingKeys() throws Exception {
        Path f = dir.resolve("x.properties");
        Files.write(f, List.of("# The cloud", "cloud.host=old.example", "# Proxy host.", "#proxy.host=",
                "commands.workers=8"));
        PropertiesFileEditor.open(f).set("cloud.host", "new.example").set("proxy.host", "proxy.corp")
                .set("data.dir", "C:\\data dir").write(f);
        assertEquals(List.of("# The cloud", "cloud.host=new.example", "# Proxy host.", "proxy.host=proxy.corp",
                "commands.workers=8", "data.dir=C:\\\\data dir"), Files.readAllLines(f));
        Properties p = new Properties();
        p.load(Files.newBufferedReader(f));
        assertEquals("C:\\data dir", p.getProperty("data.dir"), "values are escaped for the properties format");
    }

    @Test
    void aNullValueCommentsTheKeyOut() throws Exception {
        Path f = dir.resolve("x.properties");
        Files.write(f, List.of("proxy.host=proxy.corp", "proxy.port=3128"));
        PropertiesFileEditor.open(f).set("proxy.host", null).set("proxy.user", null).write(f);
        assertEquals(List.of("#proxy.host=", "proxy.port=3128"), Files.readAllLines(f));
    }

    @Test
    void proseCommentsAreNotTakenForExampleLines() throws Exception {
        Path f = dir.resolve("x.properties");
        Files.write(f, List.of("# cloud.host is where the cloud is"));
        PropertiesFileEditor.open(f).set("cloud.host", "c.example").write(f);
        assertEquals(List.of("# cloud.host is where the cloud is", "cloud.host=c.example"), Files.readAllLines(f));
    }

    /** A key written with escapes or continued onto the next line is the same key when the file is read. */
    @Test
    void aKeyWrittenWithEscapesIsTheSameKey() {
        assertEquals(List.of("a=1", "cloud.host=new.example", "x=2"), PropertiesFileEditor
                .of(List.of("a=1", "clo\\", "  ud\\.host:old\\", "  .example", "x=2"))
                .set("cloud.host", "new.example").lines());
        assertEquals(List.of("a=1", "a=", "b=2"), PropertiesFileEditor.of(List.of("a=1", "\\a:old\\", "  more", "b=2"))
                .set("a", "").lines(), "the last line setting a is the one replaced, with its continuation");
        assertEquals(List.of("#a=", "#a=", "b=2"), PropertiesFileEditor.of(List.of("a=1", "\\a=2", "b=2"))
                .set("a", null).lines());
    }
}
