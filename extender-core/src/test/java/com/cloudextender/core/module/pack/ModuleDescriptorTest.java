package com.cloudextender.core.module.pack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ModuleDescriptorTest {
    private static final String SOURCE = "package directory-1.2.0.cxm";
    private static final String VALID = """
            id=directory
            version=1.2.0
            core.minVersion=0.1.0
            main.class=com.cloudextender.modules.directory.DirectoryModule
            actions=authenticate, sync
            description=Directory search and sync
            config.url.type=string
            config.url.required=true
            config.bindPassword.type=string
            config.bindPassword.secret=true
            config.pageSize.type=int
            config.pageSize.default=500
            config.tls.type=bool
            config.sync.interval.type=duration
            config.sync.interval.default=1h
            config.profile.*.servers.type=string
            """;

    private static ModuleDescriptor parse(String text) throws ModulePackageException {
        return ModuleDescriptor.parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), SOURCE);
    }

    private static String refusal(String text) {
        return assertThrows(ModulePackageException.class, () -> parse(text)).getMessage();
    }

    /** {@link #VALID} with {@code key}'s line removed, or replaced by {@code key=value}. */
    private static String with(String key, String value) {
        StringBuilder b = new StringBuilder();
        for (String line : VALID.split("\n")) {
            if (line.startsWith(key + "=")) {
                if (value != null) {
                    b.append(key).append('=').append(value).append('\n');
                }
            } else {
                b.append(line).append('\n');
            }
        }
        return b.toString();
    }

    @Test
    void parsesEveryField() throws Exception {
        ModuleDescriptor d = parse(VALID);
        assertEquals("directory", d.id());
        assertEquals(ModuleVersion.parse("1.2.0"), d.version());
        assertEquals(ModuleVersion.parse("0.1"), d.coreMinVersion());
        assertEquals("com.cloudextender.modules.directory.DirectoryModule", d.mainClass());
        assertEquals(List.of("authenticate", "sync"), d.actions());
        assertEquals(Optional.of("Directory search and sync"), d.description());
        assertEquals(6, d.config().size());
        ConfigKey password = d.configKey("bindPassword").orElseThrow();
        assertTrue(password.secret());
        assertFalse(password.required());
        assertEquals(ConfigType.STRING, password.type());
        assertEquals(Optional.of("500"), d.configKey("pageSize").orElseThrow().defaultValue());
        assertTrue(d.configKey("url").orElseThrow().required());
        assertEquals(ConfigType.DURATION, d.configKey("sync.interval").orElseThrow().type());
        assertEquals("profile.*.servers", d.configKey("profile.corp.servers").orElseThrow().pattern());
        assertTrue(d.configKey("profile.corp.other").isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"version", "core.minVersion", "main.class", "actions", "config.url.type"})
    void namesEachMissingRequiredProperty(String key) {
        assertEquals(SOURCE + ", module [directory]" + (key.equals("version") ? "" : " 1.2.0") + ": property [" + key
                + "] is missing", refusal(with(key, null)));
    }

    @Test
    void namesAMissingIdBeforeTheModuleIsKnown() {
        assertEquals(SOURCE + ": property [id] is missing", refusal(with("id", null)));
    }

    @Test
    void namesALeftoverProperty() {
        assertEquals(SOURCE + ", module [directory] 1.2.0: property [main.klass] is not known; check its spelling "
                + "(docs/MODULE-PACKAGE.md)", refusal(VALID + "main.klass=x.Y\n"));
        assertTrue(refusal(VALID + "config.url.secrett=true\n").contains("property [config.url.secrett] is not known"));
    }

    @Test
    void refusesAKeyWrittenTwice() {
        assertEquals(SOURCE + ": module.properties: property [version] is written twice", refusal(VALID + "version=1.3.0\n"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Directory", "d", "9lives", "dir_ectory", "a23456789012345678901234567890123"})
    void refusesABadId(String id) {
        assertTrue(refusal(with("id", id)).startsWith(SOURCE + ": property [id]: '" + id + "' is not a module id"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"core", "modules"})
    void refusesAReservedId(String id) {
        assertEquals(SOURCE + ": property [id]: '" + id + "' is reserved by the extender; choose another id",
                refusal(with("id", id)));
    }

    @Test
    void refusesABadVersion() {
        assertTrue(refusal(with("version", "1.2.x")).startsWith(SOURCE + ", module [directory]: property [version]: "
                + "'1.2.x' is not a version"));
        assertTrue(refusal(with("core.minVersion", "latest")).startsWith(SOURCE + ", module [directory] 1.2.0: "
                + "property [core.minVersion]: 'latest' is not a version"));
    }

    @Test
    void refusesABadMainClass() {
        assertTrue(refusal(with("main.class", "com.example.Not A Class")).contains("property [main.class]"));
    }

    @Test
    void refusesABadActionName() {
        assertTrue(refusal(with("actions", "sync,2fa")).endsWith("property [actions]: '2fa' is not an action name; start "
                + "with a letter, then letters, digits, . or -"));
        assertTrue(refusal(with("actions", "sync,,search")).contains("property [actions]: '' is not an action name"));
    }

    @Test
    void refusesADuplicateAction() {
        assertEquals(SOURCE + ", module [directory] 1.2.0: property [actions]: action 'sync' is listed twice",
                refusal(with("actions", "sync,search,sync")));
    }

    @Test
    void refusesABadConfigType() {
        assertEquals(SOURCE + ", module [directory] 1.2.0: property [config.tls.type]: 'boolean' is not a configuration "
                + "type; use string, int, bool or duration", refusal(with("config.tls.type", "boolean")));
    }

    @Test
    void refusesADefaultThatDoesNotMatchTheType() {
        assertEquals(SOURCE + ", module [directory] 1.2.0: property [config.pageSize.default]: 'many' is not a whole "
                + "number, as the key's type requires", refusal(with("config.pageSize.default", "many")));
        assertTrue(refusal(with("config.sync.interval.default", "1 hour")).contains("property [config.sync.interval.default]"));
    }

    @Test
    void refusesABadConfigFlagAndPattern() {
        assertTrue(refusal(VALID.replace("config.bindPassword.secret=true", "config.bindPassword.secret=yes"))
                .endsWith("property [config.bindPassword.secret]: 'yes' is not true or false"));
        assertTrue(refusal(VALID + "config.a*b.type=string\n").contains("'a*b' is not a configuration key"));
    }

    private static Map<String, String> validate(Map<String, String> config) throws Exception {
        return parse(VALID).validateConfig(config);
    }

    private static String configRefusal(Map<String, String> config) {
        return assertThrows(ModulePackageException.class, () -> validate(config)).getMessage();
    }

    @Test
    void validateConfigAddsDefaultsAndAcceptsWildcardKeys() throws Exception {
        Map<String, String> completed = validate(Map.of("url", "ldaps://dc1", "profile.corp.servers", "dc1,dc2", "tls", "on"));
        assertEquals(Map.of("url", "ldaps://dc1", "profile.corp.servers", "dc1,dc2", "tls", "on", "pageSize", "500",
                "sync.interval", "1h"), completed);
    }

    @Test
    void validateConfigKeepsAConfiguredValueOverTheDefault() throws Exception {
        assertEquals("50", validate(Map.of("url", "ldaps://dc1", "pageSize", "50")).get("pageSize"));
    }

    @Test
    void validateConfigRefusesAnUnknownKey() {
        assertEquals("module [directory] 1.2.0: configuration refused: key [urll] is not a configuration key of this module",
                configRefusal(Map.of("url", "x", "urll", "x")));
        assertTrue(configRefusal(Map.of("url", "x", "profile.a.b.servers", "x")).contains("key [profile.a.b.servers] is not"));
    }

    @Test
    void validateConfigRefusesAMissingRequiredKey() {
        assertEquals("module [directory] 1.2.0: configuration refused: key [url] is required and not set",
                configRefusal(Map.of()));
    }

    @Test
    void validateConfigRefusesValuesOfTheWrongType() {
        assertTrue(configRefusal(Map.of("url", "x", "pageSize", "lots")).endsWith("key [pageSize]: 'lots' is not a whole number"));
        assertTrue(configRefusal(Map.of("url", "x", "tls", "maybe")).endsWith("key [tls]: 'maybe' is not true or false"));
        assertTrue(configRefusal(Map.of("url", "x", "sync.interval", "soon"))
                .endsWith("key [sync.interval]: 'soon' is not a duration such as 500ms, 30s, 5m, 2h or 1d"));
    }

    @Test
    void validateConfigNeverShowsASecretValue() {
        ModuleDescriptor d = assertDoesNotThrowParse(VALID.replace("config.bindPassword.type=string", "config.bindPassword.type=int"));
        String message = assertThrows(ModulePackageException.class,
                () -> d.validateConfig(Map.of("url", "x", "bindPassword", "hunter2"))).getMessage();
        assertTrue(message.contains("key [bindPassword]: the value is not a whole number"), message);
        assertFalse(message.contains("hunter2"));
    }

    private static ModuleDescriptor assertDoesNotThrowParse(String text) {
        try {
            return parse(text);
        } catch (ModulePackageException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void reportsEveryConfigProblemAtOnce() {
        String message = configRefusal(Map.of("pageSize", "x", "nope", "y"));
        assertTrue(message.contains("[nope]") && message.contains("[pageSize]") && message.contains("[url]"), message);
    }

    @Test
    void readsTheDowngradeFloorAndRefusesOneAboveItsOwnVersion() throws Exception {
        assertTrue(parse(VALID).downgradeMinVersion().isEmpty());
        assertEquals("1.1.0", parse(VALID + "downgrade.minVersion=1.1.0\n").downgradeMinVersion().orElseThrow().toString());
        assertTrue(refusal(VALID + "downgrade.minVersion=1.3.0\n").endsWith("property [downgrade.minVersion]: 1.3.0 is "
                + "newer than this version; write the oldest version that may replace this one"));
        assertTrue(refusal(VALID + "downgrade.minVersion=old\n").contains("property [downgrade.minVersion]: 'old' is not a version"));
    }
}
