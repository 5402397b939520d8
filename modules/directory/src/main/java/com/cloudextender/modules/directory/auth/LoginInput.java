package com.cloudextender.modules.directory.auth;

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
        return name.chars().anyMatch(Character::isISOControl)
                ? Optional.of("contains a control character, which a user name never does") : Optional.empty();
    }
}
