package com.cloudextender.modules.bes;

import com.cloudextender.api.ActionHandler;
import com.cloudextender.api.ExtenderModule;
import com.cloudextender.api.ModuleConfig;
import com.cloudextender.api.ModuleContext;
import com.cloudextender.api.ModuleScheduler;
import com.cloudextender.modules.bes.client.BwsClient;
import com.cloudextender.modules.bes.devices.AttributeSet;
import com.cloudextender.modules.bes.devices.DeviceActions;
import com.cloudextender.modules.bes.devices.UserDirectory;
import com.cloudextender.modules.support.commands.CommandLog;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The BlackBerry Enterprise Server 5.0.x module: device inventory with delta uploads, IT policies, and
 * device and user actions through BlackBerry Web Services. See the module's README for the keys,
 * actions and results.
 */
public final class BesModule implements ExtenderModule {
    /** The customer-wide lease of the device-inventory sync: one extender of a customer runs it at a time. */
    static final String LEASE = "bes.devices";
    private static final Logger LOG = LoggerFactory.getLogger(BesModule.class);

    private BwsClient client;
    private Map<String, ActionHandler> actions = Map.of();
    private ModuleScheduler.Cancellable scheduled;

    @Override
    public void start(ModuleContext context) throws Exception {
        ModuleConfig c = context.config();
        BesSettings settings = BesSettings.read(c);
        Set<AttributeSet> sets = AttributeSet.parse(c.get("sync.attributeSets").filter(s -> !s.isBlank())
                .map(s -> Arrays.asList(s.split(","))).orElse(List.of()));
        client = BwsClient.open(settings, context.proxies());
        UserDirectory directory = new UserDirectory(client);
        CommandLog log = new CommandLog(context.state(), Clock.systemUTC(),
                c.durationValue("commands.retention", Duration.ofDays(7)));
        log.prune();
        BesActions all = new BesActions(directory, new DeviceActions(client, directory), context, sets, log);
        actions = all.all();
        Duration interval = c.durationValue("sync.interval", Duration.ofHours(1));
        if (!interval.isZero()) {
            // One extender of the customer syncs at a time, under the customer-wide lease.
            scheduled = context.scheduler().everyAfterExclusive("bes device sync", LEASE, interval, interval,
                    all::scheduledSync);
        }
        LOG.info("BES module started: BAS {}, device sync {}", settings.server(),
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
