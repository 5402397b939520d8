package com.cloudextender.core.proxy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * PAC files as a network could serve them: whatever the script returns or does, evaluating it for a
 * destination gives a non-empty list of DIRECT or HTTP proxies with a host and a valid port, and no
 * exception reaches the caller (a PAC file that cannot be evaluated means DIRECT, logged).
 */
class PacFuzzTest {
    private static Path dir;

    @BeforeAll
    static void folder() throws IOException {
        dir = Files.createTempDirectory("pac-fuzz");
    }

    @AfterAll
    static void clean() throws IOException {
        try (var all = Files.walk(dir)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** The text FindProxyForURL returns ("PROXY a:1; DIRECT", "SOCKS …", garbage). */
    @FuzzTest
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void anyReturnValue(FuzzedDataProvider data) throws Exception {
        String answer = data.consumeString(200);
        String host = data.consumeBoolean() ? "cloud.example.com" : data.consumeString(40);
        int port = data.consumeInt(1, 65535);
        String literal = com.cloudextender.api.Json.quote(answer).replace("\u2028", "\\u2028")
                .replace("\u2029", "\\u2029");
        assertChoicesValid(evaluate("function FindProxyForURL(url, host) { return " + literal + "; }", host, port));
    }

    /** Any script text, from the seeds in the corpus (real PAC files) and mutations of them. */
    @FuzzTest
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void anyScript(byte[] script) throws Exception {
        assertChoicesValid(evaluate(new String(script, StandardCharsets.UTF_8), "cloud.example.com", 443));
    }

    private static List<ProxyChoice> evaluate(String script, String host, int port) throws IOException {
        Path pac = Files.writeString(dir.resolve("proxy.pac"), script);
        if (host.isEmpty() || host.chars().anyMatch(c -> c < 0x21 || c == '/' || c == '?' || c == '#' || c == '@')) {
            host = "cloud.example.com"; // not a host name any connection is made to
        }
        return ProxyDiscovery.pacFile(pac.toUri().toString()).choicesFor(host, port);
    }

    private static void assertChoicesValid(List<ProxyChoice> choices) {
        assertFalse(choices.isEmpty(), "never empty");
        for (ProxyChoice c : choices) {
            assertTrue(c.isDirect() || !c.host().isBlank() && c.port() >= 1 && c.port() <= 65535, "choice " + c);
        }
    }
}
