package com.cloudextender.modules.directory.lookup;

import com.unboundid.ldap.sdk.Entry;

/**
 * Whether an account is enabled and whether it is locked, read from what the directory offers:
 * Active Directory's userAccountControl bits (MS-ADTS 2.2.16; the lockout bit is only reliable in the
 * computed attribute msDS-User-Account-Control-Computed), OpenLDAP's pwdAccountLockedTime, and
 * eDirectory's loginDisabled / lockedByIntruder.
 *
 * @param enabled false when the account is disabled
 * @param locked  true when the account is locked out
 */
public record AccountFlags(boolean enabled, boolean locked) {
    static final int ACCOUNTDISABLE = 0x2;
    static final int LOCKOUT = 0x10;

    /** The flags of {@code entry}; an entry without any of these attributes is enabled and not locked. */
    public static AccountFlags of(Entry entry) {
        // Names in lower case: the entry lower-cases the name of every look-up, which allocates a new
        // string for each name with a capital, six per user for a sync that reads every user.
        int uac = intValue(entry, "useraccountcontrol");
        int computed = intValue(entry, "msds-user-account-control-computed");
        boolean enabled = (uac & ACCOUNTDISABLE) == 0
                && !"TRUE".equalsIgnoreCase(entry.getAttributeValue("logindisabled"))
                && !"DISABLED".equalsIgnoreCase(entry.getAttributeValue("orclisenabled"));
        boolean locked = ((uac | computed) & LOCKOUT) != 0
                || entry.hasAttribute("pwdaccountlockedtime")
                || "TRUE".equalsIgnoreCase(entry.getAttributeValue("lockedbyintruder"));
        return new AccountFlags(enabled, locked);
    }

    private static int intValue(Entry entry, String name) {
        String v = entry.getAttributeValue(name);
        if (v == null) {
            return 0;
        }
        try {
            return (int) Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
