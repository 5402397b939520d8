package com.cloudextender.modules.scep.config;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A profile's {@code subjectPattern}: a regular expression the whole requested subject DN (RFC 2253)
 * must match, in which {@code ${user}}, {@code ${device}}, {@code ${userEmail}}, {@code ${userUpn}} and
 * {@code ${deviceDnsName}} stand for the names the command gives, quoted literally. A placeholder whose
 * name the command does not give matches nothing, so a subject can only name who the command names.
 *
 * @param template the expression as configured
 */
public record SubjectTemplate(String template) {
    /**
     * The default: the common name is the command's device or user, followed only by organisational
     * parts (OU, O, L, ST, C, DC), so a request cannot name another user or add a second CN.
     */
    public static final String DEFAULT = "CN=(?:${device}|${user})(?:,(?:OU|O|L|ST|C|DC)=[^,+=\\\\]+)*";

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z]+)}");
    private static final Set<String> NAMES = Set.of("user", "device", "userEmail", "userUpn", "deviceDnsName");
    /** Matches nothing: stands for a name the command does not give. */
    private static final String NOTHING = "(?!)";

    /** Checks {@code template} read from {@code key}: known placeholders, valid expression. */
    public static SubjectTemplate read(String key, String template) {
        Matcher m = PLACEHOLDER.matcher(template);
        while (m.find()) {
            if (!NAMES.contains(m.group(1))) {
                throw new IllegalArgumentException(key + ": '${" + m.group(1) + "}' is not a known placeholder; use "
                        + "${user}, ${device}, ${userEmail}, ${userUpn} or ${deviceDnsName}");
            }
        }
        try {
            Pattern.compile(fill(template, Map.of()));
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(key + ": '" + template + "' is not a regular expression: "
                    + e.getDescription());
        }
        return new SubjectTemplate(template);
    }

    /** The expression with each placeholder replaced by the quoted name from {@code names}, or by nothing. */
    public Pattern bind(Map<String, Optional<String>> names) {
        return Pattern.compile(fill(template, names));
    }

    /** True when the template names no placeholder: it does not tie the subject to the command. */
    public boolean unbound() {
        return !PLACEHOLDER.matcher(template).find();
    }

    private static String fill(String template, Map<String, Optional<String>> names) {
        return PLACEHOLDER.matcher(template).replaceAll(r -> Matcher.quoteReplacement(
                names.getOrDefault(r.group(1), Optional.empty()).filter(v -> !v.isEmpty())
                        .map(Pattern::quote).orElse(NOTHING)));
    }

    @Override
    public String toString() {
        return template;
    }
}
