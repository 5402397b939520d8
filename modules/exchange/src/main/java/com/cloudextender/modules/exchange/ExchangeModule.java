package com.cloudextender.modules.exchange;

import com.cloudextender.api.ActionHandler;
import com.cloudextender.api.ExtenderModule;
import com.cloudextender.api.ModuleConfig;
import com.cloudextender.api.ModuleContext;
import com.cloudextender.api.ModuleScheduler;
import com.cloudextender.modules.exchange.cmdlet.ExchangeBackend;
import com.cloudextender.modules.exchange.config.OnPremisesSettings;
import com.cloudextender.modules.exchange.config.OnlineSettings;
import com.cloudextender.modules.exchange.devices.CommandLog;
import com.cloudextender.modules.exchange.devices.Device;
import com.cloudextender.modules.exchange.devices.DeviceJson;
import com.cloudextender.modules.exchange.devices.DeviceSource;
import com.cloudextender.modules.exchange.online.AdminApiBackend;
import com.cloudextender.modules.exchange.online.AppCertificate;
import com.cloudextender.modules.support.http.ModuleHttp;
import com.cloudextender.modules.exchange.online.TokenSource;
import com.cloudextender.modules.exchange.onprem.OnPremisesBackend;
import com.cloudextender.modules.exchange.onprem.PowerShellHost;
import com.cloudextender.modules.support.Json;
import com.cloudextender.modules.support.inventory.InventorySettings;
import com.cloudextender.modules.support.inventory.InventorySync;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Exchange ActiveSync module: device discovery with delta uploads, and device and organisation
 * actions, on Exchange Online (REST admin API) or Exchange 2010-2019 (one supervised PowerShell host).
 * See the module's README for the keys, actions and results.
 */
public final class ExchangeModule implements ExtenderModule {
    /** The customer-wide lease of the device-inventory sync: one extender of a customer runs it at a time. */
    static final String LEASE = "exchange.devices";
    private static final Logger LOG = LoggerFactory.getLogger(ExchangeModule.class);
    /** The host script inside the module jar, written to the work folder at start. */
    static final String HOST_SCRIPT = "powershell/ExchangeHost.ps1";

    private ExchangeBackend backend;
    private Map<String, ActionHandler> actions = Map.of();
    private ModuleScheduler.Cancellable scheduled;

    @Override
    public void start(ModuleContext context) throws Exception {
        ModuleConfig c = context.config();
        String kind = c.require("backend").trim();
        backend = switch (kind) {
            case "online" -> online(OnlineSettings.read(c), context);
            case "onPremises" -> onPremises(OnPremisesSettings.read(c), context);
            default -> throw new IllegalArgumentException("backend: '" + kind + "' is not online or onPremises");
        };
        InventorySync<Device> sync = new InventorySync<>(InventorySettings.read(c, "sync.", "exchange", "devices"),
                new DeviceSource(backend, c.boolValue("sync.statistics", false)), new DeviceJson(), context);
        CommandLog log = new CommandLog(context.state(), Clock.systemUTC(),
                c.durationValue("commands.retention", Duration.ofDays(7)));
        log.prune();
        actions = new ExchangeActions(backend, sync, context, log).all();
        Duration interval = c.durationValue("sync.interval", Duration.ofHours(1));
        if (!interval.isZero()) {
            // One extender of the customer syncs at a time, under the customer-wide lease.
            scheduled = context.scheduler().everyAfterExclusive("exchange device sync", LEASE, interval,
                    interval, sync::runScheduled);
        }
        LOG.info("Exchange module started: backend {}, device sync {}", kind,
                interval.isZero() ? "on command only" : "every " + interval);
    }

    /** The Exchange Online backend; a certificate that cannot be read, or has expired, refuses the start. */
    static ExchangeBackend online(OnlineSettings s, ModuleContext context) throws Exception {
        AppCertificate cert = AppCertificate.read(s.certificate(), s.certificatePassword());
        cert.checkValid(java.time.Instant.now());
        ModuleHttp http = ModuleHttp.open(context.proxies(), s.trustStore(), ModuleHttp.Options.defaults().withAnswerTimeout(s.timeout()));
        TokenSource tokens = new TokenSource(s.authority(), s.clientId(), cert, s.scope(), http, s.tokenRefreshBefore(),
                Clock.systemUTC());
        return new AdminApiBackend(http, tokens, s.adminApiUrl(), s.tenant(), s.anchorMailbox(), s.pageSize(),
                s.maxRetries(), s.maxBackoff(), d -> Thread.sleep(d.toMillis()));
    }

    /** The on-premises backend: the host script written to the work folder, started on first use. */
    static ExchangeBackend onPremises(OnPremisesSettings s, ModuleContext context) throws IOException {
        Path script = context.workDir().resolve("ExchangeHost.ps1");
        try (InputStream in = ExchangeModule.class.getClassLoader().getResourceAsStream(HOST_SCRIPT)) {
            if (in == null) {
                throw new IOException("the module package lacks " + HOST_SCRIPT);
            }
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        ObjectNode init = Json.object();
        init.put("type", "init");
        init.put("connectionUri", s.connectionUri());
        init.put("authentication", s.authentication());
        s.username().ifPresent(u -> init.put("username", u));
        s.password().ifPresent(p -> init.put("password", p));
        PowerShellHost host = new PowerShellHost(List.of(s.powershell(), "-NoLogo", "-NoProfile", "-NonInteractive",
                "-File", script.toString()), init, context.workDir().resolve("powershell-host.err"), s.requestTimeout(),
                s.startTimeout(), s.queueSize());
        return new OnPremisesBackend(host);
    }

    @Override
    public Map<String, ActionHandler> actions() {
        return actions;
    }

    @Override
    public void stop() {
        if (scheduled != null) {
            scheduled.cancel();
        }
        if (backend != null) {
            backend.close();
        }
    }
}
