package com.cloudextender.modules.bes.testing;

import com.cloudextender.api.ActionHandler;
import com.cloudextender.api.Command;
import com.cloudextender.api.CommandException;
import com.cloudextender.api.CommandResult;
import com.cloudextender.api.ModuleConfig;
import com.cloudextender.modules.bes.BesModule;
import com.cloudextender.modules.testkit.FakeModuleContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.zip.GZIPInputStream;

/** The module started against a {@link FakeBws}, with its context; runs actions as the host would. */
public final class BesFixture implements AutoCloseable {
    public static final ObjectMapper JSON = new ObjectMapper();
    public final InMemoryBes bes = new InMemoryBes();
    public final FakeBws bws;
    public final FakeModuleContext context;
    public final BesModule module = new BesModule();

    public BesFixture(TestPki pki, Path dir, Map<String, String> extra) throws Exception {
        bws = new FakeBws(bes, pki);
        context = new FakeModuleContext("bes", new ModuleConfig(config(pki, bws, extra), Set.of("password")), dir);
        module.start(context);
    }

    public static Map<String, String> config(TestPki pki, FakeBws bws, Map<String, String> extra) {
        Map<String, String> c = new HashMap<>();
        c.put("server", bws.baseUrl());
        c.put("username", FakeBws.ADMIN);
        c.put("password", FakeBws.PASSWORD);
        c.put("trustStore", pki.serverPem.toString());
        c.put("timeout", "30s"); // generous: the build machine is shared; TIMEOUT itself is tested in BwsClientTest
        c.put("sync.interval", "0s");
        c.putAll(extra);
        return c;
    }

    /** Runs {@code action}; the parsed result (fails the test when the action fails). */
    public JsonNode ok(String action, String args) throws Exception {
        return ok(action, args, UUID.randomUUID().toString());
    }

    /** Runs {@code action} as command {@code id} (the same id: a redelivered command). */
    public JsonNode ok(String action, String args, String id) throws Exception {
        CommandResult r = actions().get(action).execute(new Command(id, "bes", action, args, Duration.ofMinutes(1)));
        if (!r.isOk()) {
            throw new AssertionError(action + " failed: " + r);
        }
        return JSON.readTree(r.payload());
    }

    /** Runs {@code action}, which must fail; the exception. */
    public CommandException fails(String action, String args) throws Exception {
        try {
            CommandResult r = actions().get(action).execute(command(action, args));
            throw new AssertionError(action + " should have failed but returned " + r.payload());
        } catch (CommandException e) {
            return e;
        }
    }

    private Map<String, ActionHandler> actions() {
        return module.actions();
    }

    private static Command command(String action, String args) {
        return new Command(UUID.randomUUID().toString(), "bes", action, args, Duration.ofMinutes(1));
    }

    /** The records (not chunk headers) of the uploads from index {@code from} on. */
    public List<JsonNode> records(int from) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (int i = from; i < context.uploads.stored.size(); i++) {
            try (InputStream in = new GZIPInputStream(Files.newInputStream(context.uploads.stored.get(i)))) {
                for (String l : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                    JsonNode n = JSON.readTree(l);
                    if (!n.get("op").asText().equals("chunk") && !n.get("op").asText().equals("end")) {
                        out.add(n);
                    }
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        module.stop();
        bws.close();
    }
}
