package com.cloudextender.modules.directory.auth;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decodes the sub-code Active Directory puts in the diagnostic message of a failed bind, for example
 * {@code 80090308: LdapErr: DSID-0C090447, comment: AcceptSecurityContext error, data 775, v3839}.
 * The sub-codes are Win32 error codes (MS-ERREF 2.2): 525 no such user, 52e logon failure, 530 invalid
 * logon hours, 531 invalid workstation, 532 password expired, 533 account disabled, 701 account
 * expired, 773 password must change, 775 account locked out.
 */
public final class AdBindDiagnostics {
    private static final Pattern DATA = Pattern.compile("\\bdata ([0-9a-fA-F]{3,8})\\b");

    private AdBindDiagnostics() {
    }

    /** The failure {@code message} names, or empty when it carries no known AD sub-code. */
    public static Optional<AuthFailure> decode(String message) {
        if (message == null) {
            return Optional.empty();
        }
        Matcher m = DATA.matcher(message);
        if (!m.find()) {
            return Optional.empty();
        }
        return Optional.ofNullable(switch (m.group(1).toLowerCase(Locale.ROOT)) {
            case "525" -> AuthFailure.USER_NOT_FOUND;
            case "52e" -> AuthFailure.INVALID_CREDENTIALS;
            case "530" -> AuthFailure.LOGON_HOURS;
            case "531" -> AuthFailure.WORKSTATION_RESTRICTED;
            case "532" -> AuthFailure.PASSWORD_EXPIRED;
            case "533" -> AuthFailure.ACCOUNT_DISABLED;
            case "701" -> AuthFailure.ACCOUNT_EXPIRED;
            case "773" -> AuthFailure.PASSWORD_MUST_CHANGE;
            case "775" -> AuthFailure.ACCOUNT_LOCKED;
            default -> null;
        });
    }
}
