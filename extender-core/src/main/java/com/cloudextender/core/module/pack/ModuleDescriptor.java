package com.cloudextender.core.module.pack;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A module's descriptor, the {@code module.properties} of its package (docs/MODULE-PACKAGE.md).
 * Parsed strictly: each key is consumed as it is read and a leftover key is an error that names it.
 * Immutable and thread-safe.
 *
 * <p>Usage:
 * <pre>{@code
 * ModuleDescriptor d = ModuleDescriptor.parse(in, "package directory-1.2.0.cxm");
 * Map<String, String> config = d.validateConfig(fromCloud);   // defaults added
 * }</pre>
 *
 * @param id            the module id, {@code [a-z][a-z0-9-]{1,31}}, not {@code core} or {@code modules}
 * @param version       this module version
 * @param coreMinVersion the oldest extender core that can run it
 * @param mainClass     the binary name of the {@code ExtenderModule} implementation
 * @param actions       the action names, in the order written
 * @param description   a line for people
 * @param config        the configuration keys the module accepts, in key order
 * @param downgradeMinVersion the oldest version of this module that the publisher allows an extender to go
 *                      back to from this one (with {@code allowDowngrade}); empty: no going back below this one
 */
public record ModuleDescriptor(String id, ModuleVersion version, ModuleVersion coreMinVersion, String mainClass,
        List<String> actions, Optional<String> description, List<ConfigKey> config,
        Optional<ModuleVersion> downgradeMinVersion) {
    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9-]{1,31}");
    private static final Set<String> RESERVED_IDS = Set.of("core", "modules");
    private static final Pattern ACTION = Pattern.compile("[A-Za-z][A-Za-z0-9.-]*");
    private static final String IDENTIFIER = "\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*";
    private static final Pattern BINARY_NAME = Pattern.compile("(?:" + IDENTIFIER + "\\.)*" + IDENTIFIER);
    private static final Set<String> CONFIG_ATTRIBUTES = Set.of("type", "secret", "required", "default");

    public ModuleDescriptor {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(coreMinVersion, "coreMinVersion");
        Objects.requireNonNull(mainClass, "mainClass");
        actions = List.copyOf(actions);
        Objects.requireNonNull(description, "description");
        config = List.copyOf(config);
        Objects.requireNonNull(downgradeMinVersion, "downgradeMinVersion");
    }

    /**
     * The declaration that matches {@code key}: an exact declaration first, else the first wildcard
     * declaration in key order.
     */
    public Optional<ConfigKey> configKey(String key) {
        Optional<ConfigKey> exact = config.stream().filter(c -> c.pattern().equals(key)).findFirst();
        return exact.isPresent() ? exact : config.stream().filter(c -> c.matches(key)).findFirst();
    }

    /**
     * Parses a descriptor.
     *
     * @param properties the {@code module.properties} text (UTF-8)
     * @param source     what it was read from, for messages, for example {@code package directory-1.2.0.cxm}
     * @throws ModulePackageException naming the source, the module once known, and the property at fault
     */
    public static ModuleDescriptor parse(InputStream properties, String source) throws ModulePackageException {
        DescriptorProperties p;
        try {
            p = DescriptorProperties.read(properties);
        } catch (IllegalArgumentException | IOException e) {
            throw new ModulePackageException(source + ": module.properties: " + e.getMessage(), e);
        }
        return new Parser(p, source).parse();
    }

    /**
     * Checks a configuration against the declarations: unknown keys, missing required keys, values that
     * do not parse as their type. Adds the defaults of keys that are not set. Every problem is reported
     * at once; a secret's value is never part of a message.
     *
     * @return the completed configuration, sorted by key, unmodifiable
     * @throws ModulePackageException naming the module and each key at fault
     */
    public Map<String, String> validateConfig(Map<String, String> configuration) throws ModulePackageException {
        List<String> problems = new ArrayList<>();
        TreeMap<String, String> completed = new TreeMap<>();
        for (Map.Entry<String, String> e : new TreeMap<>(configuration).entrySet()) {
            Optional<ConfigKey> declared = configKey(e.getKey());
            if (declared.isEmpty()) {
                problems.add("key [" + e.getKey() + "] is not a configuration key of this module");
            } else if (!declared.get().type().accepts(e.getValue())) {
                ConfigKey k = declared.get();
                String shown = k.secret() ? "the value" : "'" + e.getValue() + "'";
                problems.add("key [" + e.getKey() + "]: " + shown + " is not " + k.type().expected());
            } else {
                completed.put(e.getKey(), e.getValue());
            }
        }
        for (ConfigKey k : config) {
            // A wildcard declaration describes a family of keys: there is no single key to require or default.
            if (k.isWildcard() || configuration.containsKey(k.pattern())) {
                continue;
            }
            if (k.defaultValue().isPresent()) {
                completed.put(k.pattern(), k.defaultValue().get());
            } else if (k.required()) {
                problems.add("key [" + k.pattern() + "] is required and not set");
            }
        }
        if (!problems.isEmpty()) {
            throw new ModulePackageException(where() + ": configuration refused: " + String.join("; ", problems));
        }
        return java.util.Collections.unmodifiableMap(completed);
    }

    /** The module as messages name it, for example {@code module [directory] 1.2.0}. */
    private String where() {
        return "module [" + id + "] " + version;
    }

    /** One parse of one descriptor; knows how much of the module is known, for messages. */
    private static final class Parser {
        private final DescriptorProperties p;
        private final String source;
        private String id;
        private ModuleVersion version;

        Parser(DescriptorProperties p, String source) {
            this.p = p;
            this.source = source;
        }

        ModuleDescriptor parse() throws ModulePackageException {
            String idText = require("id");
            if (!ID.matcher(idText).matches()) {
                throw fail("property [id]: '" + idText + "' is not a module id; use 2 to 32 characters: a lower-case "
                        + "letter, then lower-case letters, digits or -");
            }
            if (RESERVED_IDS.contains(idText)) {
                throw fail("property [id]: '" + idText + "' is reserved by the extender; choose another id");
            }
            id = idText;
            version = version("version");
            ModuleVersion coreMin = version("core.minVersion");
            String mainClass = require("main.class");
            if (!BINARY_NAME.matcher(mainClass).matches()) {
                throw fail("property [main.class]: '" + mainClass + "' is not a Java class name");
            }
            List<String> actions = actions(require("actions"));
            Optional<String> description = p.take("description");
            List<ConfigKey> config = configKeys();
            Optional<ModuleVersion> downgradeMin = downgradeMin();
            Optional<String> leftover = p.leftover();
            if (leftover.isPresent()) {
                throw fail("property [" + leftover.get() + "] is not known; check its spelling (docs/MODULE-PACKAGE.md)");
            }
            return new ModuleDescriptor(id, version, coreMin, mainClass, actions, description, config, downgradeMin);
        }

        private Optional<ModuleVersion> downgradeMin() throws ModulePackageException {
            Optional<String> text = p.take("downgrade.minVersion");
            if (text.isEmpty()) {
                return Optional.empty();
            }
            ModuleVersion floor;
            try {
                floor = ModuleVersion.parse(text.get());
            } catch (IllegalArgumentException e) {
                throw fail("property [downgrade.minVersion]: " + e.getMessage());
            }
            if (floor.compareTo(version) > 0) {
                throw fail("property [downgrade.minVersion]: " + floor + " is newer than this version; write the oldest "
                        + "version that may replace this one");
            }
            return Optional.of(floor);
        }

        private ModuleVersion version(String key) throws ModulePackageException {
            String text = require(key);
            try {
                return ModuleVersion.parse(text);
            } catch (IllegalArgumentException e) {
                throw fail("property [" + key + "]: " + e.getMessage());
            }
        }

        private List<String> actions(String text) throws ModulePackageException {
            List<String> actions = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (String raw : text.split(",", -1)) {
                String a = raw.strip();
                if (!ACTION.matcher(a).matches()) {
                    throw fail("property [actions]: '" + a + "' is not an action name; start with a letter, then letters, "
                            + "digits, . or -");
                }
                if (!seen.add(a)) {
                    throw fail("property [actions]: action '" + a + "' is listed twice");
                }
                actions.add(a);
            }
            return actions;
        }

        private List<ConfigKey> configKeys() throws ModulePackageException {
            // Group config.<pattern>.<attribute> by pattern; the attribute is the last segment.
            Map<String, Map<String, String>> byPattern = new LinkedHashMap<>();
            for (String key : p.keysStartingWith("config.")) {
                int dot = key.lastIndexOf('.');
                String attribute = key.substring(dot + 1);
                String pattern = dot > "config.".length() ? key.substring("config.".length(), dot) : "";
                if (!CONFIG_ATTRIBUTES.contains(attribute) || pattern.isEmpty()) {
                    continue; // left for the leftover check, which names the key
                }
                byPattern.computeIfAbsent(pattern, x -> new TreeMap<>()).put(attribute, key);
            }
            List<ConfigKey> keys = new ArrayList<>();
            for (String pattern : byPattern.keySet()) {
                keys.add(configKey(pattern));
            }
            return keys;
        }

        private ConfigKey configKey(String pattern) throws ModulePackageException {
            String prefix = "config." + pattern + ".";
            if (!ConfigKey.isValidPattern(pattern)) {
                throw fail("property [" + prefix + "type]: '" + pattern + "' is not a configuration key; use dot-separated "
                        + "segments of letters, digits, _ and -, or * for one whole segment");
            }
            ConfigType type;
            String typeText = require(prefix + "type");
            try {
                type = ConfigType.fromDescriptor(typeText);
            } catch (IllegalArgumentException e) {
                throw fail("property [" + prefix + "type]: " + e.getMessage());
            }
            boolean secret = bool(prefix + "secret");
            boolean required = bool(prefix + "required");
            Optional<String> defaultValue = p.take(prefix + "default");
            if (defaultValue.isPresent() && !type.accepts(defaultValue.get())) {
                throw fail("property [" + prefix + "default]: '" + defaultValue.get() + "' is not " + type.expected()
                        + ", as the key's type requires");
            }
            return new ConfigKey(pattern, type, secret, required, defaultValue);
        }

        private boolean bool(String key) throws ModulePackageException {
            Optional<String> v = p.take(key);
            if (v.isEmpty()) {
                return false;
            }
            return switch (v.get()) {
                case "true" -> true;
                case "false" -> false;
                default -> throw fail("property [" + key + "]: '" + v.get() + "' is not true or false");
            };
        }

        private String require(String key) throws ModulePackageException {
            return p.take(key).orElseThrow(() -> fail("property [" + key + "] is missing"));
        }

        private ModulePackageException fail(String what) {
            String module = id == null ? "" : ", module [" + id + "]" + (version == null ? "" : " " + version);
            return new ModulePackageException(source + module + ": " + what);
        }
    }
}
