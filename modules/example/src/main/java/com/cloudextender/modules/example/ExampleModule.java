package com.cloudextender.modules.example;

import com.cloudextender.api.ActionHandler;
import com.cloudextender.api.Command;
import com.cloudextender.api.ExtenderModule;
import com.cloudextender.api.ModuleContext;
import com.cloudextender.api.ModuleScheduler;
import com.cloudextender.api.SelfChecking;
import java.time.Duration;
import java.util.Map;

/**
 * The example module's entry point (descriptor {@code main.class}). Start reads the configuration and
 * schedules the tick; the actions are small classes of their own.
 */
public final class ExampleModule implements ExtenderModule, SelfChecking {
    static final String GREETING = "greeting";
    static final String API_KEY = "apiKey";
    static final String TICK = "tick";
    /** The metric the scheduled task increments, reported as {@code example.ticks}. */
    static final String TICKS_METRIC = "ticks";

    private volatile Map<String, ActionHandler> actions = Map.of();
    private volatile Counter counter;
    private volatile ModuleScheduler.Cancellable tick;

    @Override
    public void start(ModuleContext context) {
        // The host checked the values against the descriptor; reading them here fails early if not.
        Duration every = context.config().durationValue(TICK, Duration.ofHours(1));
        if (every.isZero()) {
            throw new IllegalArgumentException(TICK + ": must be longer than 0");
        }
        counter = new Counter(context.state());
        actions = Map.of(
                "echo", new EchoAction(context.version(), context.config().get(GREETING).orElse("hello")),
                "count", new CountAction(counter),
                "upload", new UploadAction(context.workDir(), context.uploads()),
                "config", new ConfigAction(context.config()));
        tick = context.scheduler().everyAfter("example tick", every, every,
                () -> context.metrics().count(TICKS_METRIC, 1));
    }

    @Override
    public Map<String, ActionHandler> actions() {
        return actions;
    }

    /**
     * Checks that the state store answers and holds a readable counter, and runs {@code echo} once: that
     * also loads and warms the JSON code in this version's class loader before the host routes commands
     * to it, so the first commands after an upgrade do not wait for class initialisation.
     */
    @Override
    public void selfCheck() throws Exception {
        counter.current();
        actions.get("echo").execute(new Command("self-check", "example", "echo", "{\"text\":\"self-check\"}",
                Duration.ofSeconds(5)));
    }

    @Override
    public void stop() {
        // The host cancels scheduled work anyway; cancelling here keeps stop() correct on its own.
        ModuleScheduler.Cancellable t = tick;
        if (t != null) {
            t.cancel();
        }
    }
}
