package com.cloudextender.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.cloudextender.core.proxy.ProxyChoice;
import com.cloudextender.core.proxy.ProxySettings;
import com.cloudextender.core.secret.MachineKey;
import com.cloudextender.core.secret.SecretBox;

/** proxy.wpad and proxy.credentialsFor, read strictly, with messages that name the key. */
class ProxyConfigTest {
    private static final String BASE = "cloud.host=cloud.test\nxmpp.username=ext\nxmpp.password=pw\n";
    @TempDir
    Path dir;

    private ProxySettings load(String text) throws IOException {
        Files.createDirectories(dir.resolve("conf"));
        Path f = Files.writeString(dir.resolve("conf/extender.properties"), BASE + text);
        return ConfigLoader.load(f, new SecretBox(MachineKey.open(dir.resolve("data"), "m1"))).proxySettings();
    }

    private String refused(String text) {
        return assertThrows(ConfigException.class, () -> load(text)).getMessage();
    }

    @Test
    void wpadIsOffByDefaultAndCredentialsGoToNoDiscoveredProxy() throws IOException {
        ProxySettings s = load("proxy.username=u\nproxy.password=pw\n");
        assertFalse(s.wpad());
        assertTrue(s.credentialsFor().isEmpty());
        assertTrue(s.withholdsCredentialsFrom(ProxyChoice.proxy("wpad-answer.lan", 8080)));
    }

    @Test
    void wpadIsStrictlyTrueOrFalseAndOnlyForAutoMode() throws IOException {
        assertTrue(load("proxy.wpad=TRUE\n").wpad());
        assertEquals("proxy.wpad: 'yes' is not allowed; write true or false", refused("proxy.wpad=yes\n"));
        assertTrue(refused("proxy.mode=none\nproxy.wpad=true\n").startsWith("proxy.wpad: true, but proxy.mode is none"));
    }

    @Test
    void credentialsForListsHostAndPortPairs() throws IOException {
        ProxySettings s = load("proxy.username=u\nproxy.password=pw\n"
                + "proxy.credentialsFor=Squid.Corp:3128, [2001:db8::1]:8080\n");
        assertEquals(Set.of(ProxyChoice.proxy("squid.corp", 3128), ProxyChoice.proxy("2001:db8::1", 8080)),
                s.credentialsFor());
        assertFalse(s.withholdsCredentialsFrom(ProxyChoice.proxy("squid.corp", 3128)));
        assertTrue(s.withholdsCredentialsFrom(ProxyChoice.proxy("squid.corp", 3129)));
    }

    @Test
    void withNegotiateAllowedCredentialsForNeedsNoUserAndNamesWhoGetsATicket() throws IOException {
        ProxySettings s = load("proxy.credentialsFor=squid.corp:3128\n");
        assertTrue(s.trusts(ProxyChoice.proxy("Squid.Corp", 3128)));
        assertFalse(s.trusts(ProxyChoice.proxy("wpad-answer.lan", 8080)));
    }

    @Test
    void aMalformedOrMisplacedCredentialsForIsNamed() {
        String creds = "proxy.username=u\nproxy.password=pw\n";
        assertTrue(refused(creds + "proxy.credentialsFor=squid.corp\n")
                .startsWith("proxy.credentialsFor: 'squid.corp' is not host:port"));
        assertTrue(refused(creds + "proxy.credentialsFor=squid.corp:99999\n")
                .startsWith("proxy.credentialsFor: 'squid.corp:99999' is not host:port"));
        assertTrue(refused(creds + "proxy.credentialsFor=2001:db8::1:80\n")
                .startsWith("proxy.credentialsFor: '2001:db8::1:80' is not host:port"));
        assertTrue(refused("proxy.authSchemes=ntlm,basic\nproxy.credentialsFor=squid.corp:3128\n")
                .startsWith("proxy.credentialsFor: set, but proxy.username is not and proxy.authSchemes has no "
                        + "negotiate"));
        assertTrue(refused(creds + "proxy.host=p\nproxy.credentialsFor=squid.corp:3128\n")
                .startsWith("proxy.credentialsFor: set, but proxy.mode is explicit"));
    }
}
