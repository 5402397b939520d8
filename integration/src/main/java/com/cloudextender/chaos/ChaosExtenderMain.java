package com.cloudextender.chaos;

import java.nio.file.Path;
import java.util.Map;

import com.cloudextender.core.Extender;
import com.cloudextender.core.command.ActionRegistry;

/**
 * The extender process the harness starts, kills with SIGKILL and starts again: the real extender
 * ({@link Extender#start(Path)}, as {@code extender run} does) with one more module, {@code chaos}, whose
 * action {@code mark} journals every run ({@link JournalAction}). It prints {@value #READY} and the
 * extender id once the module is registered; the harness's proxy lets the channel through only then, so
 * that no command arrives before the module exists.
 *
 * <p>Arguments: the configuration file and the journal file.
 */
public final class ChaosExtenderMain {
    static final String READY = "CHAOS-READY";

    private ChaosExtenderMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: ChaosExtenderMain <extender.properties> <journal file>");
            System.exit(2);
        }
        Extender extender = Extender.start(Path.of(args[0]));
        extender.actions().register(new ActionRegistry.ModuleActions("chaos", "1",
                Map.of("mark", new JournalAction(Path.of(args[1])))));
        System.out.println(READY + " " + extender.extenderId());
        System.out.flush();
        // Runs until the harness kills the process; a kill -9 gives no chance to clean up, which is the point.
        Thread.currentThread().join();
    }
}
