package com.cloudextender.modules.directory.auth;

/** Why an authentication was refused; the names travel to the cloud as {@code reason}. */
public enum AuthFailure {
    /** The password is wrong (or the directory does not say more). */
    INVALID_CREDENTIALS,
    /** No profile has a user with this login. */
    USER_NOT_FOUND,
    /** The login matches several entries; none is guessed. */
    AMBIGUOUS_USER,
    ACCOUNT_DISABLED,
    ACCOUNT_LOCKED,
    ACCOUNT_EXPIRED,
    PASSWORD_EXPIRED,
    PASSWORD_MUST_CHANGE,
    /** Logons are not allowed at this time of day. */
    LOGON_HOURS,
    /** Logons are not allowed from this workstation. */
    WORKSTATION_RESTRICTED
}
