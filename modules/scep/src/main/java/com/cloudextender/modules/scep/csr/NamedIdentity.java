package com.cloudextender.modules.scep.csr;

import com.cloudextender.api.CommandException;
import com.cloudextender.api.ErrorCode;
import com.cloudextender.modules.scep.config.SanType;
import com.cloudextender.modules.support.Arguments;
import java.util.Map;
import java.util.Optional;

/**
 * The user and device a command names, as the cloud knows them: what a request's subject and alternative
 * names are bound to. A request can name only these; nothing a device writes into its own request widens
 * them.
 *
 * @param user          the user's id ({@code user})
 * @param userEmail     the user's e-mail address ({@code userEmail}): the only allowed rfc822Name
 * @param userUpn       the user's principal name ({@code userUpn}): the only allowed upn
 * @param device        the device's id ({@code device})
 * @param deviceDnsName the device's host name ({@code deviceDnsName}): the only allowed dNSName
 * @param deviceUri     the device's URI ({@code deviceUri}): the only allowed uri
 */
public record NamedIdentity(Optional<String> user, Optional<String> userEmail, Optional<String> userUpn,
                            Optional<String> device, Optional<String> deviceDnsName, Optional<String> deviceUri) {

    /** The names given in a command's arguments; control characters are refused. */
    public static NamedIdentity of(Arguments args) throws CommandException {
        return new NamedIdentity(name(args, "user"), name(args, "userEmail"), name(args, "userUpn"),
                name(args, "device"), name(args, "deviceDnsName"), name(args, "deviceUri"));
    }

    /** The values for {@code subjectPattern} placeholders. */
    public Map<String, Optional<String>> placeholders() {
        return Map.of("user", user, "device", device, "userEmail", userEmail, "userUpn", userUpn,
                "deviceDnsName", deviceDnsName);
    }

    /** The argument the command would need to name a value of {@code type}, and its value when given. */
    public Optional<String> boundValue(SanType type) {
        return switch (type) {
            case RFC822_NAME -> userEmail;
            case UPN -> userUpn;
            case DNS_NAME -> deviceDnsName;
            case URI -> deviceUri;
        };
    }

    /** The argument that names the only value allowed for {@code type}. */
    public static String argumentFor(SanType type) {
        return switch (type) {
            case RFC822_NAME -> "userEmail";
            case UPN -> "userUpn";
            case DNS_NAME -> "deviceDnsName";
            case URI -> "deviceUri";
        };
    }

    private static Optional<String> name(Arguments args, String field) throws CommandException {
        Optional<String> v = args.text(field).map(String::trim).filter(s -> !s.isEmpty());
        if (v.isPresent() && v.get().chars().anyMatch(Character::isISOControl)) {
            throw new CommandException(ErrorCode.INVALID_ARGUMENTS, field + ": contains a control character");
        }
        return v;
    }
}
