package com.cloudextender.modules.traveler;

import com.cloudextender.api.ActionHandler;
import com.cloudextender.api.ExtenderModule;
import com.cloudextender.api.ModuleConfig;
import com.cloudextender.api.ModuleContext;
import com.cloudextender.api.ModuleScheduler;
import com.cloudextender.modules.support.commands.CommandLog;
import com.cloudextender.modules.support.inventory.InventorySettings;
import com.cloudextender.modules.support.inventory.InventorySync;
import com.cloudextender.modules.traveler.api.TravelerClient;
import com.cloudextender.modules.traveler.api.TravelerSettings;
import com.cloudextender.modules.traveler.devices.Device;
import com.cloudextender.modules.traveler.devices.DeviceActions;
import com.cloudextender.modules.traveler.devices.DeviceFormat;
import com.cloudextender.modules.traveler.devices.DeviceSource;
import com.cloudextender.modules.traveler.settings.SettingsActions;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HCL Traveler module: the device inventory with delta uploads, and device and approval actions,
 * through the Traveler administration REST API. See the module's README for the keys and actions.
 */
public final class TravelerModule implements ExtenderModule {
    /** The customer-wide lease of the device-inventory sync: one extender of a customer runs it at a time. */
    static final String LEASE = "traveler.devices";
    private static final Logger LOG = LoggerFactory.getLogger(TravelerModule.class);

    private TravelerClient client;
    private Map<String, ActionHandler> actions = Map.of();
    private ModuleScheduler.Cancellable scheduled;

    @Override
    public void start(ModuleContext context) throws Exception {
        ModuleConfig c = context.config();
        TravelerSettings s = TravelerSettings.read(c);
        Duration precision = c.durationValue("sync.lastSyncPrecision", Duration.ofDays(1));
        Duration interval = c.durationValue("sync.interval", Duration.ofHours(1));
        Duration settle = c.durationValue("actions.settle", Duration.ofSeconds(1));
        InventorySettings inventory = InventorySettings.read(c, "sync.", "traveler", "devices");
        client = TravelerClient.open(s, context.proxies());
        InventorySync<Device> sync = new InventorySync<>(inventory, new DeviceSource(client, s.pageSize()),
                new DeviceFormat(precision), context);
        CommandLog log = new CommandLog(context.state(), Clock.systemUTC(),
                c.durationValue("commands.retention", Duration.ofDays(7)));
        log.prune();
        actions = new TravelerActions(sync, new DeviceActions(client, settle), new SettingsActions(client), context,
                s.server().toString(), log).all();
        if (!interval.isZero()) {
            // One extender of the customer syncs at a time, under the customer-wide lease.
            scheduled = context.scheduler().everyAfterExclusive("traveler device sync", LEASE, interval,
                    interval, sync::runScheduled);
        }
        LOG.info("Traveler module started: server {}, API {}, device sync {}", s.server(), s.apiPath(),
                interval.isZero() ? "on command only" : "every " + interval);
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
        if (client != null) {
            client.close();
        }
    }
}
