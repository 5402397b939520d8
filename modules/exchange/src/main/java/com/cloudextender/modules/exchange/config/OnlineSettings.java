package com.cloudextender.modules.exchange.config;

import com.cloudextender.api.ModuleConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The Exchange Online backend's settings ({@code online.*} keys). Immutable; the certificate password
 * is never printed.
 */
public record OnlineSettings(String tenant, String clientId, Path certificate, char[] certificatePassword,
                             String authority, String adminApiUrl, String scope, String anchorMailbox,
                             Optional<Path> trustStore, int pageSize, int maxRetries, Duration maxBackoff,
                             Duration timeout, Duration tokenRefreshBefore) {
    /** Reads the {@code online.*} keys; a missing or bad one is named. */
    public static OnlineSettings read(ModuleConfig c) {
        String tenant = c.require("online.tenant").trim();
        if (!tenant.matches("[A-Za-z0-9.-]{1,255}")) {
            throw new IllegalArgumentException("online.tenant: '" + tenant
                    + "' is not a tenant id or domain such as contoso.onmicrosoft.com");
        }
        String authority = c.get("online.authority").orElse("https://login.microsoftonline.com/").trim();
        if (!authority.startsWith("https://")) {
            throw new IllegalArgumentException("online.authority: must start with https://");
        }
        String base = c.get("online.adminApiUrl").orElse("https://outlook.office365.com").trim();
        if (!base.startsWith("https://")) {
            throw new IllegalArgumentException("online.adminApiUrl: must start with https://");
        }
        int pageSize = c.intValue("online.pageSize", 1000);
        if (pageSize < 1 || pageSize > 1000) {
            throw new IllegalArgumentException("online.pageSize: " + pageSize + " is not within 1 to 1000");
        }
        String domain = tenant.contains(".") ? tenant : tenant + ".onmicrosoft.com";
        return new OnlineSettings(tenant, c.require("online.clientId").trim(), Path.of(c.require("online.certificate")),
                c.get("online.certificatePassword").orElse("").toCharArray(),
                (authority.endsWith("/") ? authority : authority + "/") + tenant + "/",
                base, c.get("online.scope").orElse("https://outlook.office365.com/.default"),
                // The system mailbox Microsoft's module routes organisation-wide cmdlets by.
                c.get("online.anchorMailbox").orElse("UPN:SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}@" + domain),
                c.get("online.trustStore").map(Path::of), pageSize, c.intValue("online.maxRetries", 5),
                c.durationValue("online.maxBackoff", Duration.ofSeconds(60)),
                c.durationValue("online.timeout", Duration.ofSeconds(60)),
                c.durationValue("online.tokenRefreshBefore", Duration.ofMinutes(5)));
    }

    @Override
    public String toString() {
        return "OnlineSettings[tenant=" + tenant + ", clientId=" + clientId + ", authority=" + authority
                + ", adminApiUrl=" + adminApiUrl + "]";
    }
}
