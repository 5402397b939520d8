package com.cloudextender.modules.directory.config;

import com.cloudextender.api.ModuleConfig;
import com.unboundid.ldap.sdk.DN;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the visibility sync reads and how it is paced. Immutable.
 *
 * @param profiles               the synchronised profiles' scopes, by profile name
 * @param interval               time between scheduled syncs; zero means no schedule
 * @param deleteThreshold        more deletions than this in one delta are held back
 * @param deleteThresholdPercent more deletions than this share of the baseline are held back
 * @param chunkEntries           at most this many records per uploaded chunk
 * @param chunkBytes             at most about this many uncompressed bytes per chunk
 * @param pageSize               entries per page of the paged search
 * @param deletionSweep          time between scheduled deletion sweeps of the profiles whose deletions
 *                               the service account cannot see; zero means no schedule
 * @param deletionSweepAge       a delta that cannot see deletions sweeps first when the last sweep (or
 *                               complete read) is older than this; zero means every such delta sweeps
 * @param warmUp                 whether a profile without a baseline has its sync code warmed up at start,
 *                               before its first (full) sync
 */
public record SyncSettings(Map<String, Scope> profiles, Duration interval, int deleteThreshold,
                           int deleteThresholdPercent, int chunkEntries, long chunkBytes, int pageSize,
                           Duration deletionSweep, Duration deletionSweepAge, boolean warmUp) {

    /**
     * The part of one profile's directory that is synchronised.
     *
     * @param includeOus     subtrees read (the profile's base DN when none is configured)
     * @param excludeOus     subtrees skipped inside them
     * @param userAttributes user attributes sent to the cloud
     */
    public record Scope(List<DN> includeOus, List<DN> excludeOus, List<String> userAttributes) {
        /** True when {@code dn} lies under an excluded subtree. */
        public boolean excluded(DN dn) {
            for (DN ex : excludeOus) {
                if (dn.isDescendantOf(ex, true)) {
                    return true;
                }
            }
            return false;
        }
    }

    static SyncSettings read(ModuleConfig config, Map<String, ProfileSettings> known) {
        Map<String, Scope> scopes = new LinkedHashMap<>();
        for (String name : ProfileSettings.list(config.get("sync.profiles").orElse(""))) {
            ProfileSettings profile = known.get(name);
            if (profile == null) {
                throw new IllegalArgumentException("sync.profiles: '" + name + "' is not one of profiles=" + known.keySet());
            }
            String p = "sync." + name + ".";
            List<DN> include = config.get(p + "includeOus").map(v -> dns(p + "includeOus", v)).orElse(List.of());
            scopes.put(name, new Scope(include.isEmpty() ? List.of(profile.baseDn()) : include,
                    config.get(p + "excludeOus").map(v -> dns(p + "excludeOus", v)).orElse(List.of()),
                    config.get(p + "userAttributes").map(ProfileSettings::list).orElse(profile.userAttributes())));
        }
        int threshold = atLeast(config, "sync.deleteThreshold", 500, 0);
        int percent = atLeast(config, "sync.deleteThresholdPercent", 10, 0);
        if (percent > 100) {
            throw new IllegalArgumentException("sync.deleteThresholdPercent: " + percent + " is out of range; allowed 0 to 100");
        }
        Duration sweep = notNegative("sync.deletionSweep", config.durationValue("sync.deletionSweep", Duration.ofHours(1)));
        // Unless set, a delta trusts the absence of deletions for as long as the sweep schedule's period.
        Duration sweepAge = notNegative("sync.deletionSweepAge", config.durationValue("sync.deletionSweepAge",
                sweep.isZero() ? Duration.ofHours(1) : sweep));
        return new SyncSettings(scopes, config.durationValue("sync.interval", Duration.ofHours(1)), threshold, percent,
                atLeast(config, "sync.chunkEntries", 5000, 1), atLeast(config, "sync.chunkBytes", 8 << 20, 1024),
                atLeast(config, "sync.pageSize", 500, 1), sweep, sweepAge,
                config.boolValue("sync.warmUp", true));
    }

    private static Duration notNegative(String key, Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException(key + ": " + d + " is negative; give a duration such as 1h, or 0s");
        }
        return d;
    }

    private static int atLeast(ModuleConfig config, String key, int otherwise, int min) {
        int v = config.intValue(key, otherwise);
        if (v < min) {
            throw new IllegalArgumentException(key + ": " + v + " is too small; the least allowed is " + min);
        }
        return v;
    }

    /** Splits a list of DNs separated by semicolons (DNs themselves contain commas). */
    private static List<DN> dns(String key, String value) {
        return java.util.Arrays.stream(value.split(";")).map(String::trim).filter(s -> !s.isEmpty())
                .map(s -> ProfileSettings.dn(key, s)).toList();
    }
}
