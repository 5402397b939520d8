package com.cloudextender.modules.directory.auth;

import com.cloudextender.api.CommandException;
import com.cloudextender.api.ErrorCode;
import java.util.Optional;

/**
 * Rules for what the cloud sends as a login, checked before anything reaches the directory. A password
 * that is empty or only blanks binds anonymously on some servers, and one with a NUL is cut short by
 * servers written in C (what they check is not what was sent); control characters in a user name have
 * no place in a directory name and serve only to forge log lines or confuse filters.
 */
public final class LoginInput {
    private LoginInput() {
    }

    /** Why {@code password} is refused, or empty when it may be sent to the directory. */
    public static Optional<String> passwordProblem(char[] password) {
        if (password.length == 0) {
            return Optional.of("empty; an empty password is never accepted");
        }
        boolean blank = true;
        for (char c : password) {
            if (c == '\0') {
                return Optional.of("contains a NUL character, which is never accepted");
            }
            blank &= Character.isWhitespace(c) || Character.isSpaceChar(c);
        }
        return blank ? Optional.of("only blanks; such a password is never accepted") : Optional.empty();
    }

    /** Why {@code name} is refused as a user name, or empty when it may be looked up. */
    public static Optional<String> userNameProblem(String name) {
        return controlCharacter(name, "a user name");
    }

    /** Why {@code domain} is refused as a login's domain, or empty when it may be used. */
    public static Optional<String> domainProblem(String domain) {
        return controlCharacter(domain, "a domain name");
    }

    /**
     * Refuses a login's {@code domain} argument with a control character.
     *
     * @throws CommandException INVALID_ARGUMENTS naming {@code domain}
     */
    public static void checkDomain(Optional<String> domain) throws CommandException {
        Optional<String> problem = domain.flatMap(LoginInput::domainProblem);
        if (problem.isPresent()) {
            throw new CommandException(ErrorCode.INVALID_ARGUMENTS, "domain: " + problem.get());
        }
    }

    /** Why {@code group} is refused as a group's name or DN, or empty when it may be looked up. */
    public static Optional<String> groupNameProblem(String group) {
        return controlCharacter(group, "a group name");
    }

    /**
     * Refuses every control character (NUL included): a server written in C cuts a string at NUL, so
     * "Administrator", a NUL and {@code *)(x} would be looked up, and logged, as {@code Administrator}.
     */
    private static Optional<String> controlCharacter(String value, String what) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c)) {
                return Optional.of(String.format("contains the control character U+%04X at position %d, which %s never"
                        + " does", (int) c, i, what));
            }
        }
        return Optional.empty();
    }
}
