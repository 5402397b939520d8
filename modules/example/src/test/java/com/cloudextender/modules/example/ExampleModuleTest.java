package com.cloudextender.modules.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudextender.api.Command;
import com.cloudextender.api.CommandException;
import com.cloudextender.api.CommandResult;
import com.cloudextender.api.ErrorCode;
import com.cloudextender.api.ModuleConfig;
import com.cloudextender.modules.testkit.FakeModuleContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExampleModuleTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ModuleConfig CONFIG = new ModuleConfig(
            Map.of("greeting", "bonjour", "apiKey", "k-123-secret", "tick", "5m"), Set.of("apiKey"));

    @TempDir
    Path dir;
    private final FakeModuleContext.MapState database = new FakeModuleContext.MapState();

    private FakeModuleContext context(ModuleConfig config) {
        return new FakeModuleContext("example", "1.2.0", config, dir, database);
    }

    private static ExampleModule started(FakeModuleContext context) {
        ExampleModule module = new ExampleModule();
        module.start(context);
        return module;
    }

    private static JsonNode run(ExampleModule module, String action, String arguments) throws Exception {
        CommandResult r = module.actions().get(action).execute(new Command("c-1", "example", action, arguments, Duration.ofSeconds(5)));
        assertTrue(r.isOk(), r.payload());
        return JSON.readTree(r.payload());
    }

    @Test
    void offersExactlyTheDeclaredActions() {
        assertEquals(Set.of("echo", "count", "upload", "config"), started(context(CONFIG)).actions().keySet());
    }

    @Test
    void echoReturnsTheTextAndVersion() throws Exception {
        JsonNode r = run(started(context(CONFIG)), "echo", "{\"text\":\"hi there\"}");
        assertEquals("hi there", r.get("text").asText());
        assertEquals("1.2.0", r.get("version").asText());
        assertEquals("bonjour", r.get("greeting").asText());
    }

    @Test
    void echoRefusesArgumentsThatAreNotAJsonObject() {
        ExampleModule module = started(context(CONFIG));
        CommandException e = assertThrows(CommandException.class, () -> module.actions().get("echo")
                .execute(new Command("c-2", "example", "echo", "[1,2]", Duration.ofSeconds(5))));
        assertEquals(ErrorCode.INVALID_ARGUMENTS, e.code());
    }

    @Test
    void countIsDurableAcrossRestarts() throws Exception {
        ExampleModule first = started(context(CONFIG));
        assertEquals(1, run(first, "count", "{}").get("count").asLong());
        assertEquals(2, run(first, "count", "{}").get("count").asLong());
        first.stop();

        ExampleModule second = started(context(CONFIG));
        assertEquals(3, run(second, "count", "{}").get("count").asLong());
        assertEquals("3", new String(database.get("count").orElseThrow(), StandardCharsets.UTF_8));
    }

    @Test
    void countLosesNoIncrementUnderConcurrency() throws Exception {
        ExampleModule module = started(context(CONFIG));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        for (int i = 0; i < 200; i++) {
            pool.submit(() -> run(module, "count", "{}"));
        }
        pool.shutdown();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        assertEquals("200", new String(database.get("count").orElseThrow(), StandardCharsets.UTF_8));
    }

    @Test
    void uploadWritesTheLinesUploadsThemAndCleansUp() throws Exception {
        FakeModuleContext context = context(CONFIG);
        JsonNode r = run(started(context), "upload", "{\"lines\":3}");
        assertEquals("line 1\nline 2\nline 3\n", context.uploads.content(0));
        assertEquals(21, r.get("size").asLong());
        assertEquals("https://cloud.test/example-c-1.txt", r.get("getUrl").asText());
        assertEquals(64, r.get("sha256").asText().length());
        try (var files = Files.list(dir.resolve("work"))) {
            assertEquals(0, files.count(), "the temporary file is removed");
        }
    }

    @Test
    void uploadRefusesABadLineCount() {
        ExampleModule module = started(context(CONFIG));
        for (String args : new String[] {"{}", "{\"lines\":0}", "{\"lines\":\"3\"}", "{\"lines\":2.5}", "{\"lines\":1000001}"}) {
            CommandException e = assertThrows(CommandException.class, () -> module.actions().get("upload")
                    .execute(new Command("c-3", "example", "upload", args, Duration.ofSeconds(5))), args);
            assertEquals(ErrorCode.INVALID_ARGUMENTS, e.code(), args);
        }
    }

    @Test
    void configShowsNonSecretKeysAndOnlyWhetherTheSecretIsSet() throws Exception {
        CommandResult raw = started(context(CONFIG)).actions().get("config")
                .execute(new Command("c-4", "example", "config", "{}", Duration.ofSeconds(5)));
        assertFalse(raw.payload().contains("k-123-secret"), raw.payload());
        JsonNode r = JSON.readTree(raw.payload());
        assertEquals("bonjour", r.get("config").get("greeting").asText());
        assertEquals("5m", r.get("config").get("tick").asText());
        assertFalse(r.get("config").has("apiKey"));
        assertTrue(r.get("apiKeySet").asBoolean());

        JsonNode without = run(started(context(new ModuleConfig(Map.of("greeting", "hello"), Set.of("apiKey")))), "config", "{}");
        assertFalse(without.get("apiKeySet").asBoolean());
    }

    @Test
    void tickIncrementsAMetricAndIsCancelledOnStop() throws Exception {
        FakeModuleContext context = context(CONFIG);
        ExampleModule module = started(context);
        assertEquals(1, context.scheduler.scheduled.size());
        FakeModuleContext.Scheduled tick = context.scheduler.scheduled.get(0);
        assertEquals(Duration.ofMinutes(5), tick.delay);
        tick.run();
        tick.run();
        assertEquals(2, context.metrics.counter(ExampleModule.TICKS_METRIC));
        module.stop();
        assertTrue(tick.cancelled());
    }

    @Test
    void selfCheckFailsWhenTheStateIsUnreadable() throws Exception {
        FakeModuleContext context = context(CONFIG);
        ExampleModule module = started(context);
        module.selfCheck();
        database.put("count", "garbage".getBytes(StandardCharsets.UTF_8));
        IllegalStateException e = assertThrows(IllegalStateException.class, module::selfCheck);
        assertTrue(e.getMessage().startsWith("state key [count] holds 'garbage'"), e.getMessage());
    }
}
