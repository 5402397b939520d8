package com.cloudextender.modules.scep.renewal;

import com.cloudextender.api.ActionHandler;
import com.cloudextender.api.Command;
import com.cloudextender.api.CommandResult;
import com.cloudextender.modules.support.Arguments;
import com.cloudextender.modules.support.Json;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * {@code expiring {"withinDays":30}}: the certificates issued through the extender, not yet renewed,
 * that expire within that many days (already expired ones included, flagged), soonest first.
 */
public final class ExpiringAction implements ActionHandler {
    private final IssuedCertificates issued;
    private final Clock clock;

    public ExpiringAction(IssuedCertificates issued, Clock clock) {
        this.issued = issued;
        this.clock = clock;
    }

    @Override
    public CommandResult execute(Command command) throws Exception {
        int days = Arguments.parse(command.arguments()).integer("withinDays", 30, 0, 3650);
        Instant now = clock.instant();
        ObjectNode out = Json.object();
        out.put("withinDays", days);
        ArrayNode list = out.putArray("certificates");
        for (IssuedRecord r : issued.expiringBefore(now.plus(Duration.ofDays(days)))) {
            ObjectNode o = list.addObject();
            o.put("profile", r.profile());
            o.put("serial", r.serial());
            o.put("subject", r.subject());
            o.put("issuer", r.issuer());
            o.put("notAfter", r.notAfter().toString());
            o.put("expired", r.notAfter().isBefore(now));
            r.device().ifPresent(d -> o.put("device", d));
            r.user().ifPresent(u -> o.put("user", u));
        }
        return CommandResult.ok(Json.text(out));
    }
}
