package com.cloudextender.modules.exchange.cmdlet;

import java.util.Optional;

/**
 * The fixed allow list of cmdlets the module may run, with the names Exchange 2010 uses where they
 * differ (it has {@code *-ActiveSyncDevice*} instead of {@code *-MobileDevice*}). Nothing outside this
 * list is ever sent to a server, and the PowerShell host refuses anything else too.
 */
public enum Cmdlet {
    GET_MOBILE_DEVICE("Get-MobileDevice", "Get-ActiveSyncDevice", false),
    GET_MOBILE_DEVICE_STATISTICS("Get-MobileDeviceStatistics", "Get-ActiveSyncDeviceStatistics", false),
    CLEAR_MOBILE_DEVICE("Clear-MobileDevice", "Clear-ActiveSyncDevice", true),
    REMOVE_MOBILE_DEVICE("Remove-MobileDevice", "Remove-ActiveSyncDevice", true),
    GET_MOBILE_DEVICE_MAILBOX_POLICY("Get-MobileDeviceMailboxPolicy", "Get-ActiveSyncMailboxPolicy", false),
    GET_CAS_MAILBOX("Get-CASMailbox", "Get-CASMailbox", false),
    SET_CAS_MAILBOX("Set-CASMailbox", "Set-CASMailbox", true),
    GET_ACTIVESYNC_ORGANIZATION_SETTINGS("Get-ActiveSyncOrganizationSettings", "Get-ActiveSyncOrganizationSettings", false),
    SET_ACTIVESYNC_ORGANIZATION_SETTINGS("Set-ActiveSyncOrganizationSettings", "Set-ActiveSyncOrganizationSettings", true),
    GET_ACTIVESYNC_DEVICE_ACCESS_RULE("Get-ActiveSyncDeviceAccessRule", "Get-ActiveSyncDeviceAccessRule", false),
    NEW_ACTIVESYNC_DEVICE_ACCESS_RULE("New-ActiveSyncDeviceAccessRule", "New-ActiveSyncDeviceAccessRule", true),
    REMOVE_ACTIVESYNC_DEVICE_ACCESS_RULE("Remove-ActiveSyncDeviceAccessRule", "Remove-ActiveSyncDeviceAccessRule", true),
    GET_ORGANIZATION_CONFIG("Get-OrganizationConfig", "Get-OrganizationConfig", false),
    GET_EXCHANGE_SERVER("Get-ExchangeServer", "Get-ExchangeServer", false),
    GET_THROTTLING_POLICY("Get-ThrottlingPolicy", "Get-ThrottlingPolicy", false),
    GET_MANAGEMENT_ROLE_ASSIGNMENT("Get-ManagementRoleAssignment", "Get-ManagementRoleAssignment", false);

    private final String name;
    private final String exchange2010Name;
    private final boolean changes;

    Cmdlet(String name, String exchange2010Name, boolean changes) {
        this.name = name;
        this.exchange2010Name = exchange2010Name;
        this.changes = changes;
    }

    /** The cmdlet's name on Exchange 2013 and later, and Exchange Online. */
    public String cmdletName() {
        return name;
    }

    /** The cmdlet's name on a server of {@code version}. */
    public String nameFor(ServerVersion version) {
        return version.isExchange2010() ? exchange2010Name : name;
    }

    /** True when the cmdlet changes something on the server (never retried blindly). */
    public boolean changes() {
        return changes;
    }

    /** The allow-listed cmdlet called {@code name} under either naming, if any. */
    public static Optional<Cmdlet> byName(String name) {
        for (Cmdlet c : values()) {
            if (c.name.equalsIgnoreCase(name) || c.exchange2010Name.equalsIgnoreCase(name)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
