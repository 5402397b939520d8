package com.cloudextender.modules.exchange.config;

import com.cloudextender.api.ModuleConfig;
import java.time.Duration;
import java.util.Optional;

/**
 * The on-premises backend's settings ({@code onPremises.*} keys). Immutable; the password is never
 * printed and reaches the PowerShell host on its standard input, never on its command line.
 */
public record OnPremisesSettings(String connectionUri, String authentication, Optional<String> username,
                                 Optional<String> password, String powershell, Duration requestTimeout,
                                 Duration startTimeout, int queueSize) {
    public static OnPremisesSettings read(ModuleConfig c) {
        String uri = c.require("onPremises.connectionUri").trim();
        if (!uri.matches("https?://[A-Za-z0-9.-]+(:[0-9]+)?/[A-Za-z0-9/._-]*")) {
            throw new IllegalArgumentException("onPremises.connectionUri: '" + uri
                    + "' is not a URL such as http://exchange01.corp.example/PowerShell/");
        }
        String auth = c.get("onPremises.authentication").orElse("Kerberos").trim();
        if (!auth.matches("Kerberos|Negotiate|Basic|Default")) {
            throw new IllegalArgumentException("onPremises.authentication: '" + auth
                    + "' is not Kerberos, Negotiate, Basic or Default");
        }
        Optional<String> user = c.get("onPremises.username").filter(s -> !s.isBlank());
        Optional<String> password = c.get("onPremises.password");
        if (user.isPresent() != password.isPresent()) {
            throw new IllegalArgumentException("onPremises.username and onPremises.password: set both or neither "
                    + "(neither uses the service's own Kerberos identity)");
        }
        int queue = c.intValue("onPremises.queueSize", 50);
        if (queue < 1 || queue > 10_000) {
            throw new IllegalArgumentException("onPremises.queueSize: " + queue + " is not within 1 to 10000");
        }
        return new OnPremisesSettings(uri, auth, user, password, c.get("onPremises.powershell").orElse("powershell.exe"),
                c.durationValue("onPremises.requestTimeout", Duration.ofMinutes(2)),
                c.durationValue("onPremises.startTimeout", Duration.ofMinutes(1)), queue);
    }

    @Override
    public String toString() {
        return "OnPremisesSettings[connectionUri=" + connectionUri + ", authentication=" + authentication
                + ", username=" + username.orElse("(service identity)") + "]";
    }
}
