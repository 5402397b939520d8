package com.cloudextender.e2e;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import com.cloudextender.core.Extender;
import com.cloudextender.demo.ExtenderFixture;
import com.cloudextender.devcloud.DevCloud;
import com.cloudextender.devcloud.DevCloudOptions;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;

/**
 * Registration, proxy authentication, commands, a dropped connection and a stop, with the project's own
 * loggers at DEBUG: no secret may appear in any log event, nor in the files the extender writes.
 */
class NoSecretsInLogsIT {
    @TempDir
    Path dir;

    @Test
    void secretsNeverReachLogsOrFilesInClear() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Logger ours = (Logger) LoggerFactory.getLogger("com.cloudextender");
        Level before = ours.getLevel();
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        root.addAppender(captured);
        ours.setLevel(Level.DEBUG);
        String proxyPassword = "Proxy-Secret-7731";
        String activation;
        try (DevCloud cloud = DevCloud.start(DevCloudOptions.ephemeral(dir.resolve("cloud")));
                ConnectProxy proxy = new ConnectProxy("corp", proxyPassword)) {
            ExtenderFixture f = ExtenderFixture.install(dir.resolve("x"), cloud, "acme", "m1", false,
                    Map.of("proxy.host", "127.0.0.1", "proxy.port", Integer.toString(proxy.port()),
                            "proxy.username", "corp", "proxy.password", proxyPassword, "reconnect.initialDelay", "100ms",
                            "proxy.authSchemes", "basic"));
            activation = Files.readAllLines(f.config()).stream().filter(l -> l.startsWith("activation.code="))
                    .findFirst().orElseThrow().substring("activation.code=".length());
            try (Extender x = f.start()) {
                assertTrue(x.awaitConnected(Duration.ofSeconds(20)));
                cloud.sendToExtender(x.extenderId(), "core", "ping", "{}", Duration.ofSeconds(5)).get(20, TimeUnit.SECONDS);
                cloud.disconnect(x.extenderId());
                Thread.sleep(300);
                assertTrue(x.awaitConnected(Duration.ofSeconds(20)));
                x.stop(Duration.ofSeconds(2));
            }
            java.util.List<ILoggingEvent> events;
            synchronized (captured) { // the dev cloud's threads may still be logging; doAppend holds this lock
                events = java.util.List.copyOf(captured.list);
            }
            assertFalse(events.isEmpty(), "the capture works");
            for (ILoggingEvent e : events) {
                String text = e.getFormattedMessage()
                        + (e.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(e.getThrowableProxy()));
                assertFalse(text.contains(proxyPassword), "proxy password in a log line: " + text);
                assertFalse(text.contains(activation), "activation code in a log line: " + text);
            }
            try (var files = Files.walk(dir.resolve("x"))) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    if (Files.isRegularFile(p)) {
                        String content = new String(Files.readAllBytes(p), java.nio.charset.StandardCharsets.ISO_8859_1);
                        assertFalse(content.contains(proxyPassword), "proxy password in clear in " + p);
                        assertFalse(content.contains(activation), "activation code in clear in " + p);
                    }
                }
            }
        } finally {
            root.detachAppender(captured);
            ours.setLevel(before);
        }
    }
}
