package com.cloudextender.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

class StatusCommandTest {
    @TempDir
    Path home;

    private int run(StringBuilder out) throws Exception {
        Path conf = home.resolve("conf/extender.properties");
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            return new CommandLine(new ExtenderMain()).execute("status", "-c", conf.toString());
        } finally {
            System.setOut(old);
            out.append(buf.toString(StandardCharsets.UTF_8));
        }
    }

    private void write(String state, String lastError) throws Exception {
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve("conf/extender.properties"), "cloud.host=h\n");
        Files.createDirectories(home.resolve("data"));
        Files.writeString(home.resolve("data/status.json"), "{\"extenderId\":\"ext-9\",\"version\":\"1.2\","
                + "\"channel\":{\"state\":\"" + state + "\",\"since\":\"2026-01-01T00:00:00Z\",\"lastError\":"
                + (lastError == null ? "null" : "\"" + lastError + "\"") + ",\"failedAttempts\":3,"
                + "\"nextAttempt\":null,\"server\":\"h:443\"},\"outbox\":{\"pending\":2},\"commands\":{},\"modules\":["
                + "{\"id\":\"core\",\"version\":\"1.2\",\"state\":\"active\",\"builtIn\":true},"
                + "{\"id\":\"directory\",\"version\":\"1.0.0\",\"state\":\"scheduled\",\"pendingVersion\":\"1.1.0\"},"
                + "{\"id\":\"scep\",\"version\":\"2.0.0\",\"state\":\"failed\",\"lastError\":\"package refused\"}]}");
    }

    @Test
    void connectedExtenderExitsZero() throws Exception {
        write("CONNECTED", null);
        StringBuilder out = new StringBuilder();
        assertEquals(0, run(out));
        assertTrue(out.toString().contains("ext-9"), out.toString());
        assertTrue(out.toString().contains("CONNECTED"), out.toString());
        assertTrue(out.toString().contains("2 result(s) waiting"), out.toString());
        assertTrue(out.toString().contains("  directory    1.0.0            scheduled  upgrade to 1.1.0 waits for the update window"),
                out.toString());
        assertTrue(out.toString().contains("  scep         2.0.0            failed     last error: package refused"),
                out.toString());
    }

    @Test
    void disconnectedExtenderShowsTheCauseAndExitsThree() throws Exception {
        write("WAITING_TO_RECONNECT", "ConnectException: Connection refused");
        StringBuilder out = new StringBuilder();
        assertEquals(3, run(out));
        assertTrue(out.toString().contains("Last error   ConnectException: Connection refused"), out.toString());
    }

    @Test
    void neverRunIsSaidPlainly() throws Exception {
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve("conf/extender.properties"), "cloud.host=h\n");
        StringBuilder out = new StringBuilder();
        assertEquals(3, run(out));
        assertTrue(out.toString().contains("has not run with this configuration"), out.toString());
    }
}
