package com.cloudextender.modules.traveler.testing;

import com.cloudextender.api.Command;
import com.cloudextender.api.CommandException;
import com.cloudextender.api.CommandResult;
import com.cloudextender.api.ModuleConfig;
import com.cloudextender.modules.testkit.FakeModuleContext;
import com.cloudextender.modules.traveler.TravelerModule;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** The module started against the emulated server, and a way to run its actions as the cloud would. */
public final class TravelerFixture implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    public final InMemoryTraveler traveler = new InMemoryTraveler();
    public final FakeTravelerServer fake;
    public final TestTls tls;
    public final FakeModuleContext context;
    public final TravelerModule module = new TravelerModule();

    /** Starts the fake server and the module with the given extra configuration keys. */
    public TravelerFixture(Path dir, TestTls tls, Map<String, String> extra) throws Exception {
        this.tls = tls;
        fake = new FakeTravelerServer(traveler, tls);
        context = new FakeModuleContext("traveler", config(fake.baseUrl(), tls.pem.toString(), extra), dir);
        module.start(context);
    }

    /** The configuration the fixture starts with: the fake server, its PEM, short time limits. */
    public static ModuleConfig config(String server, String trustStore, Map<String, String> extra) {
        Map<String, String> c = new HashMap<>();
        c.put("server", server);
        c.put("username", FakeTravelerServer.USER);
        c.put("password", FakeTravelerServer.PASSWORD);
        if (trustStore != null) {
            c.put("trustStore", trustStore);
        }
        c.put("timeout", "2s");
        c.put("actions.settle", "20ms");
        c.put("sync.interval", "0s");
        c.putAll(extra);
        c.values().removeIf(v -> v == null);
        return new ModuleConfig(c, Set.of("password"));
    }

    /** Runs {@code action} with {@code arguments} (JSON); the result payload, parsed. */
    public JsonNode run(String action, String arguments) throws Exception {
        return runAs(UUID.randomUUID().toString(), action, arguments);
    }

    /** Runs {@code action} as command {@code id} (the same id again: a redelivery). */
    public JsonNode runAs(String id, String action, String arguments) throws Exception {
        CommandResult r = module.actions().get(action).execute(new Command(id, "traveler", action, arguments,
                Duration.ofMinutes(1)));
        return JSON.readTree(r.payload());
    }

    /** Runs {@code action} expecting a failure; the exception. */
    public CommandException fail(String action, String arguments) {
        try {
            JsonNode ok = run(action, arguments);
            throw new AssertionError(action + " succeeded but should have failed: " + ok);
        } catch (CommandException e) {
            return e;
        } catch (Exception e) {
            throw new AssertionError(action + " failed with " + e + " instead of a CommandException", e);
        }
    }

    @Override
    public void close() {
        module.stop();
        fake.close();
    }
}
