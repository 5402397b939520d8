package com.cloudextender.modules.directory.config;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A kind of directory server and the schema defaults it implies. Every default can be overridden per
 * profile ({@code profile.<p>.<setting>}).
 *
 * @see ProfileSettings
 */
public enum ProfileType {
    /** Microsoft Active Directory: binary objectGUID, sAMAccountName/userPrincipalName logins, AD range retrieval. */
    ACTIVE_DIRECTORY("activeDirectory", "user", "(&(objectCategory=person)(objectClass=user))",
            List.of("sAMAccountName", "userPrincipalName"), "group", "member", "objectGUID", true,
            List.of("sAMAccountName", "userPrincipalName", "mail", "displayName", "givenName", "sn",
                    "userAccountControl", "msDS-User-Account-Control-Computed", "lockoutTime"),
            fields("sAMAccountName", "mail", "givenName", "sn", "displayName", "telephoneNumber", "employeeID"),
            GroupNesting.IN_CHAIN),
    /** OpenLDAP with inetOrgPerson users and groupOfNames groups, keyed by entryUUID. */
    OPEN_LDAP("openLdap", "inetOrgPerson", null, List.of("uid", "mail"), "groupOfNames", "member", "entryUUID",
            false, List.of("uid", "mail", "cn", "displayName", "givenName", "sn", "pwdAccountLockedTime"),
            fields("uid", "mail", "givenName", "sn", "cn", "telephoneNumber", "employeeNumber"), GroupNesting.EXPAND),
    /** HCL Domino LDAP. */
    DOMINO("domino", "dominoPerson", null, List.of("uid", "mail", "cn"), "dominoGroup", "member", "dominoUNID",
            false, List.of("uid", "mail", "cn", "displayName", "givenName", "sn"),
            fields("uid", "mail", "givenName", "sn", "cn", "telephoneNumber", "employeeID"), GroupNesting.EXPAND),
    /** Oracle Internet Directory / Unified Directory. */
    ORACLE("oracle", "inetOrgPerson", null, List.of("uid", "mail"), "groupOfUniqueNames", "uniqueMember",
            "orclGuid", false, List.of("uid", "mail", "cn", "displayName", "givenName", "sn", "orclIsEnabled"),
            fields("uid", "mail", "givenName", "sn", "cn", "telephoneNumber", "employeeNumber"), GroupNesting.EXPAND),
    /** NetIQ eDirectory: binary GUID. */
    E_DIRECTORY("eDirectory", "inetOrgPerson", null, List.of("uid", "cn", "mail"), "groupOfNames", "member", "GUID",
            true, List.of("uid", "mail", "cn", "fullName", "givenName", "sn", "loginDisabled", "lockedByIntruder"),
            fields("uid", "mail", "givenName", "sn", "fullName", "telephoneNumber", "workforceID"), GroupNesting.EXPAND);

    private final String configName;
    private final String userObjectClass;
    private final String userFilter;
    private final List<String> loginAttributes;
    private final String groupObjectClass;
    private final String memberAttribute;
    private final String idAttribute;
    private final boolean binaryId;
    private final List<String> userAttributes;
    private final Map<String, String> mapping;
    private final GroupNesting nesting;

    ProfileType(String configName, String userObjectClass, String userFilter, List<String> loginAttributes,
                String groupObjectClass, String memberAttribute, String idAttribute, boolean binaryId,
                List<String> userAttributes, Map<String, String> mapping, GroupNesting nesting) {
        this.configName = configName;
        this.userObjectClass = userObjectClass;
        this.userFilter = userFilter;
        this.loginAttributes = loginAttributes;
        this.groupObjectClass = groupObjectClass;
        this.memberAttribute = memberAttribute;
        this.idAttribute = idAttribute;
        this.binaryId = binaryId;
        this.userAttributes = userAttributes;
        this.mapping = mapping;
        this.nesting = nesting;
    }

    /** The default attributes of the user fields other than {@code domain}, which is derived unless mapped. */
    private static Map<String, String> fields(String userName, String email, String firstName, String lastName,
                                              String displayName, String phone, String employeeId) {
        return Map.of("userName", userName, "email", email, "firstName", firstName, "lastName", lastName,
                "displayName", displayName, "phone", phone, "employeeId", employeeId);
    }

    /** The attribute filling user field {@code field} by default, or null when none does. */
    public String mappedAttribute(String field) {
        return mapping.get(field);
    }

    /** How a user's nested groups are found by default. */
    public GroupNesting nesting() {
        return nesting;
    }

    /** The type named {@code name} as written in the configuration, for example {@code activeDirectory}. */
    public static ProfileType named(String key, String name) {
        for (ProfileType t : values()) {
            if (t.configName.equalsIgnoreCase(name.trim())) {
                return t;
            }
        }
        throw new IllegalArgumentException(key + ": '" + name + "' is not a directory type; use one of "
                + "activeDirectory, openLdap, domino, oracle, eDirectory");
    }

    public String configName() {
        return configName;
    }

    public String userObjectClass() {
        return userObjectClass;
    }

    /** The user filter, built from the object class unless the type needs more (AD computers are users too). */
    public String userFilter() {
        return userFilter != null ? userFilter : "(objectClass=" + userObjectClass + ")";
    }

    public List<String> loginAttributes() {
        return loginAttributes;
    }

    public String groupObjectClass() {
        return groupObjectClass;
    }

    public String memberAttribute() {
        return memberAttribute;
    }

    public String idAttribute() {
        return idAttribute;
    }

    public boolean binaryId() {
        return binaryId;
    }

    public List<String> userAttributes() {
        return userAttributes;
    }

    @Override
    public String toString() {
        return configName.toLowerCase(Locale.ROOT);
    }
}
