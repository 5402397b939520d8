package com.cloudextender.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The random part of a run, drawn from one seed before the run starts: which episodes, how many commands,
 * how long each runs, and when and which fault strikes. The same seed gives the same schedule; thread
 * timing inside the processes is not under the seed's control, so a replay repeats the faults at the same
 * points of the command stream, not the same interleaving to the nanosecond.
 */
record Schedule(long seed, List<Episode> episodes) {

    /** What an episode does to the extender. */
    enum Kind {
        /** kill -9 of the extender while commands stream in and run. */
        KILL_DURING_COMMANDS,
        /** kill -9 shortly after a reconnect, while the outbox sends a backlog of unacknowledged results. */
        KILL_DURING_FLUSH,
        /** A network fault from the proxy while commands stream in. */
        NETWORK_FAULT
    }

    /** The network faults of {@link FaultProxy}. */
    enum NetFault {
        RESET, CLOSE, STALL_THEN_RESUME, STALL_THEN_RESET, SLOW, PARTIAL_WRITE, REFUSE
    }

    /**
     * One episode.
     *
     * @param commands      commands sent in this episode
     * @param maxRunMillis  each command's action sleeps between 0 and this
     * @param maxGapMillis  the pause between two sends is between 0 and this
     * @param faultAt       the fault strikes just before this command is sent
     * @param fault         the network fault, for {@link Kind#NETWORK_FAULT}
     * @param faultMillis   how long a stall, slow or refusal lasts; for a flush kill, the delay after the reconnect
     */
    record Episode(Kind kind, int commands, int maxRunMillis, int maxGapMillis, int faultAt, NetFault fault,
            int faultMillis) {
        @Override
        public String toString() {
            return kind + (kind == Kind.NETWORK_FAULT ? "/" + fault : "") + "(commands=" + commands + ", faultAt="
                    + faultAt + ", faultMillis=" + faultMillis + ", maxRunMillis=" + maxRunMillis + ", maxGapMillis="
                    + maxGapMillis + ")";
        }
    }

    static Schedule draw(long seed, int episodes) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Episode> list = new ArrayList<>();
        NetFault[] faults = NetFault.values();
        for (int i = 0; i < episodes; i++) {
            int roll = r.nextInt(100);
            Kind kind = roll < 35 ? Kind.KILL_DURING_COMMANDS : roll < 55 ? Kind.KILL_DURING_FLUSH : Kind.NETWORK_FAULT;
            int commands = r.nextInt(20, 121);
            NetFault fault = faults[r.nextInt(faults.length)];
            int faultMillis = kind == Kind.KILL_DURING_FLUSH ? r.nextInt(0, 150) : r.nextInt(200, 3000);
            list.add(new Episode(kind, commands, r.nextInt(0, 300), r.nextInt(1, 30), r.nextInt(commands), fault,
                    faultMillis));
        }
        return new Schedule(seed, List.copyOf(list));
    }
}
