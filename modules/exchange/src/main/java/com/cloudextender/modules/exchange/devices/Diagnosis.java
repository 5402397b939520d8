package com.cloudextender.modules.exchange.devices;

import com.cloudextender.modules.exchange.cmdlet.Cmdlet;
import com.cloudextender.modules.exchange.cmdlet.CmdletCall;
import com.cloudextender.modules.exchange.cmdlet.ExchangeBackend;
import com.cloudextender.modules.exchange.cmdlet.ExchangeException;
import com.cloudextender.modules.exchange.cmdlet.ExchangeException.Reason;
import com.cloudextender.modules.exchange.cmdlet.ServerVersion;
import com.cloudextender.modules.support.Json;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The diagnose action: authentication, connectivity, the server's version, whether the account may run
 * the read cmdlets the module needs (probed with one-object reads; the write cmdlets are not probed,
 * since probing them would change something), and the throttling in force. Each check says what to
 * fix when it fails; a failed check does not stop the later ones unless they cannot run.
 */
public final class Diagnosis {
    private static final Cmdlet[] READS = {Cmdlet.GET_MOBILE_DEVICE, Cmdlet.GET_CAS_MAILBOX,
        Cmdlet.GET_MOBILE_DEVICE_MAILBOX_POLICY, Cmdlet.GET_ACTIVESYNC_ORGANIZATION_SETTINGS,
        Cmdlet.GET_ACTIVESYNC_DEVICE_ACCESS_RULE};

    private final ExchangeBackend backend;

    public Diagnosis(ExchangeBackend backend) {
        this.backend = backend;
    }

    public ObjectNode run() throws InterruptedException {
        ObjectNode out = Json.object();
        out.put("backend", backend.kind());
        ArrayNode checks = out.putArray("checks");
        boolean authOk = check(checks, "authentication", () -> {
            backend.checkAuthentication();
            return "signed in";
        }, "check the credentials (online: tenant, clientId and certificate; on-premises: the account or Kerberos)");
        boolean reachable = authOk && check(checks, "connectivity", () -> {
            backend.invoke(CmdletCall.of(Cmdlet.GET_ACTIVESYNC_ORGANIZATION_SETTINGS));
            return "the server answered a cmdlet";
        }, "check the network path, the proxy settings and the server's address");
        if (reachable) {
            check(checks, "version", () -> {
                ServerVersion v = backend.version();
                return v.product() + (v.build().isEmpty() ? "" : " (" + v.build() + ")");
            }, "use Exchange 2010 SP3 or later, or Exchange Online");
            List<String> missing = new ArrayList<>();
            for (Cmdlet c : READS) {
                try {
                    backend.invoke(c == Cmdlet.GET_MOBILE_DEVICE || c == Cmdlet.GET_CAS_MAILBOX
                            ? CmdletCall.of(c, "ResultSize", 1) : CmdletCall.of(c));
                } catch (ExchangeException e) {
                    if (e.reason() == Reason.PERMISSION) {
                        missing.add(c.cmdletName());
                    } else {
                        throw0(checks, "roles", e);
                    }
                }
            }
            ObjectNode roles = checks.addObject();
            roles.put("name", "roles");
            roles.put("ok", missing.isEmpty());
            roles.put("detail", missing.isEmpty() ? "every read cmdlet the module needs runs (changes not probed)"
                    : "may not run " + String.join(", ", missing));
            if (!missing.isEmpty()) {
                roles.put("fix", "assign the account the Recipient Management and Organization Client Access roles "
                        + "(online: an Exchange administrator role for the application)");
            }
            check(checks, "throttling", () -> throttling().toString(), "ask for a throttling policy with more "
                    + "PowerShell concurrency, or lower the sync interval");
            out.set("throttling", throttlingOrEmpty());
        }
        boolean ok = true;
        for (var c : checks) {
            ok &= c.path("ok").asBoolean();
        }
        out.put("ok", ok);
        return out;
    }

    private ObjectNode throttlingOrEmpty() throws InterruptedException {
        try {
            return throttling();
        } catch (ExchangeException e) {
            return backend.throttling();
        }
    }

    private ObjectNode throttling() throws ExchangeException, InterruptedException {
        ObjectNode t = backend.throttling();
        if (!backend.kind().equals("online")) {
            List<ObjectNode> p = backend.invoke(CmdletCall.of(Cmdlet.GET_THROTTLING_POLICY)).objects();
            for (ObjectNode policy : p) {
                if (policy.path("IsDefault").asBoolean(false) || p.size() == 1) {
                    t.put("policy", Device.text(policy, "Name"));
                    t.put("powerShellMaxConcurrency", Device.text(policy, "PowerShellMaxConcurrency"));
                }
            }
        }
        return t;
    }

    private static void throw0(ArrayNode checks, String name, ExchangeException e) {
        ObjectNode c = checks.addObject();
        c.put("name", name + " probe");
        c.put("ok", false);
        c.put("detail", e.reason() + ": " + e.getMessage());
    }

    private interface Check {
        String run() throws ExchangeException, InterruptedException;
    }

    private static boolean check(ArrayNode checks, String name, Check check, String fix) throws InterruptedException {
        ObjectNode c = checks.addObject();
        c.put("name", name);
        try {
            c.put("detail", check.run());
            c.put("ok", true);
            return true;
        } catch (ExchangeException e) {
            c.put("ok", false);
            c.put("reason", e.reason().name());
            c.put("detail", e.getMessage());
            c.put("fix", fix);
            return false;
        }
    }
}
