package com.cloudextender.modules.bes;

import com.cloudextender.api.ModuleConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Where the BlackBerry Administration Service is and how to sign in to it. Immutable; never prints the
 * password.
 *
 * @param server        the BAS base address, {@code https://<host>[:port]} (the module adds
 *                      {@code /enterprise/admin/ws} and {@code /enterprise/admin/util/ws})
 * @param username      the administrator's user name
 * @param password      the administrator's password
 * @param authenticator the name of the authenticator getAuthenticators lists, for example
 *                      {@code BlackBerry Administration Service} or {@code Active Directory}
 * @param domain        the Active Directory domain, for an AD authenticator (getEncodedUsername's {@code domain})
 * @param trustStore    a PEM file of the certificates to trust (the BAS usually has a private CA)
 * @param clientVersion the BWS client version sent in every request's metadata
 * @param locale        the locale of the server's messages
 * @param orgUid        the organisation (always {@code 0} on BES 5)
 * @param pageSize      users per getUsers page
 * @param detailBatch   users per getUsersDetail call during discovery
 * @param timeout       time limit of one answer
 */
public record BesSettings(URI server, String username, String password, String authenticator, Optional<String> domain,
                          Optional<Path> trustStore, String clientVersion, String locale, String orgUid, int pageSize,
                          int detailBatch, Duration timeout) {
    public BesSettings {
        if (!"https".equalsIgnoreCase(server.getScheme()) || server.getHost() == null) {
            throw new IllegalArgumentException("server: '" + server + "' is not an https:// address of the BAS");
        }
        if (pageSize < 1 || pageSize > 1000 || detailBatch < 1 || detailBatch > 1000) {
            throw new IllegalArgumentException("pageSize and detailBatch must be 1 to 1000");
        }
    }

    /** The settings from the module configuration; a missing or wrong key names itself. */
    public static BesSettings read(ModuleConfig c) {
        String server = c.require("server").trim();
        while (server.endsWith("/")) {
            server = server.substring(0, server.length() - 1);
        }
        return new BesSettings(URI.create(server), c.require("username"), c.require("password"),
                c.get("authenticator").orElse("BlackBerry Administration Service"), c.get("domain"),
                c.get("trustStore").filter(s -> !s.isBlank()).map(Path::of),
                c.get("clientVersion").orElse("6.0.0"), c.get("locale").orElse("en_US"),
                c.get("organizationUid").orElse("0"), c.intValue("pageSize", 100), c.intValue("detailBatch", 50),
                c.durationValue("timeout", Duration.ofSeconds(60)));
    }

    /** The BWS endpoint. */
    public URI bwsUrl() {
        return URI.create(server + "/enterprise/admin/ws");
    }

    /** The BWSUtil endpoint. */
    public URI utilUrl() {
        return URI.create(server + "/enterprise/admin/util/ws");
    }

    @Override
    public String toString() {
        return "BesSettings[" + server + " as " + username + domain.map(d -> "@" + d).orElse("") + " via " + authenticator + "]";
    }
}
