package com.cloudextender.modules.directory;

import com.cloudextender.api.ActionHandler;
import com.cloudextender.api.ExtenderModule;
import com.cloudextender.api.ModuleContext;
import com.cloudextender.api.ModuleScheduler;
import com.cloudextender.api.SelfChecking;
import com.cloudextender.modules.directory.auth.AuthenticateAction;
import com.cloudextender.modules.directory.auth.Authenticator;
import com.cloudextender.modules.directory.config.DirectoryConfig;
import com.cloudextender.modules.directory.config.ProfileSettings;
import com.cloudextender.modules.directory.connect.ProfileConnections;
import com.cloudextender.modules.directory.lookup.DiscoverOusAction;
import com.cloudextender.modules.directory.lookup.GroupMembersAction;
import com.cloudextender.modules.directory.lookup.LookupUserAction;
import com.cloudextender.modules.directory.lookup.UserFinder;
import com.cloudextender.modules.directory.sync.DirectorySync;
import com.cloudextender.modules.directory.sync.SyncActions;
import com.cloudextender.modules.support.Json;
import com.unboundid.ldap.sdk.SearchScope;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The directory module: authentication pass-through against AD/LDAP, user and group look-ups, OU
 * discovery, and the user visibility sync with delta uploads. See the module's README for the actions
 * and configuration keys.
 */
public final class DirectoryModule implements ExtenderModule, SelfChecking {
    private static final Logger LOG = LoggerFactory.getLogger(DirectoryModule.class);

    private final List<ProfileConnections> connections = new ArrayList<>();
    private final Map<String, ActionHandler> actions = new LinkedHashMap<>();
    private ModuleScheduler.Cancellable scheduledSync;
    private DirectorySync sync;
    private ModuleScheduler.Cancellable scheduledSweep;

    @Override
    public void start(ModuleContext context) throws Exception {
        Json.prepare();
        DirectoryConfig config = DirectoryConfig.read(context.config());
        for (ProfileSettings profile : config.profiles().values()) {
            warnIfPlaintext(profile);
            connections.add(ProfileConnections.open(profile));
        }
        UserFinder finder = new UserFinder(connections);
        actions.put("authenticate", new AuthenticateAction(new Authenticator(finder)));
        actions.put("lookupUser", new LookupUserAction(finder));
        actions.put("groupMembers", new GroupMembersAction(connections));
        actions.put("discoverOus", new DiscoverOusAction(connections));
        sync = new DirectorySync(config.sync(), connections, context);
        SyncActions syncActions = new SyncActions(sync);
        actions.put("sync", syncActions::sync);
        actions.put("resync", syncActions::resync);
        actions.put("heldDeletes", syncActions::heldDeletes);
        actions.put("allowDeletes", syncActions::allowDeletes);
        if (!config.sync().profiles().isEmpty() && !config.sync().interval().isZero()) {
            // One extender of the customer syncs at a time; another takes over when it stops renewing the lease.
            scheduledSync = context.scheduler().everyAfterExclusive("directory sync", DirectorySync.LEASE,
                    config.sync().interval(), config.sync().interval(), sync::runScheduled);
        }
        if (!config.sync().profiles().isEmpty()) {
            sync.probeDeletedObjects();
            sync.warmUpFirstRuns();
            if (!config.sync().deletionSweep().isZero()) {
                scheduledSweep = context.scheduler().everyAfterExclusive("directory deletion sweep",
                        DirectorySync.LEASE, config.sync().deletionSweep(), config.sync().deletionSweep(),
                        sync::runScheduledSweep);
            }
        }
        LOG.info("Directory module started with profiles {}; sync {}", config.profiles().keySet(),
                config.sync().profiles().isEmpty() ? "off" : config.sync().profiles().keySet() + " " + schedule(
                        config.sync().interval()));
    }

    /** "every 1h", or "on request only (sync.interval=0s)": never "every PT0S". */
    static String schedule(java.time.Duration interval) {
        return interval.isZero() ? "on request only (sync.interval=0s: no schedule)"
                : "every " + interval.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
    }

    private static void warnIfPlaintext(ProfileSettings profile) {
        if (profile.plaintext()) {
            LOG.warn("profile {}: plain LDAP without StartTLS (allowPlaintext=true): the service account's and users'"
                    + " passwords cross the network in clear to {}; use ldaps:// or StartTLS", profile.name(),
                    profile.servers());
        }
    }

    @Override
    public Map<String, ActionHandler> actions() {
        return Map.copyOf(actions);
    }

    /** Each profile's service account can read its base entry; a profile on plain LDAP is warned about again. */
    @Override
    public void selfCheck() throws Exception {
        for (ProfileConnections c : connections) {
            warnIfPlaintext(c.profile());
            String base = c.profile().baseDn().toString();
            if (c.pool().getEntry(base, "1.1") == null) {
                throw new IllegalStateException("profile " + c.profile().name() + ": the base DN " + base
                        + " does not exist or the service account cannot read it; check profile."
                        + c.profile().name() + ".baseDn");
            }
            c.pool().search(base, SearchScope.BASE, "(objectClass=*)", "1.1");
        }
    }

    @Override
    public void stop() {
        if (sync != null) {
            try {
                sync.stopWarmUp();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (scheduledSync != null) {
            scheduledSync.cancel();
        }
        if (scheduledSweep != null) {
            scheduledSweep.cancel();
        }
        connections.forEach(ProfileConnections::close);
        connections.clear();
    }
}
