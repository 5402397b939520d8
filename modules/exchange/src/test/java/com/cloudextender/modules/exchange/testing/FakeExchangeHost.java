package com.cloudextender.modules.exchange.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A stand-in for the PowerShell host, run as a separate process by the tests: it speaks the same line
 * protocol and keeps an {@link InMemoryExchange}. Every request line is appended verbatim to a journal
 * file, so tests can show what arrived. Values the tests use to misbehave: a parameter value
 * {@code crash-now} exits the process, {@code hang-now} never answers, mailbox {@code slowdown} adds a
 * micro-delay warning. Arguments: journal file, the server version to report.
 */
public final class FakeExchangeHost {
    static final Set<String> ALLOWED = Set.of("Get-MobileDevice", "Get-ActiveSyncDevice", "Get-MobileDeviceStatistics",
            "Get-ActiveSyncDeviceStatistics", "Clear-MobileDevice", "Clear-ActiveSyncDevice", "Remove-MobileDevice",
            "Remove-ActiveSyncDevice", "Get-MobileDeviceMailboxPolicy", "Get-ActiveSyncMailboxPolicy", "Get-CASMailbox",
            "Set-CASMailbox", "Get-ActiveSyncOrganizationSettings", "Set-ActiveSyncOrganizationSettings",
            "Get-ActiveSyncDeviceAccessRule", "New-ActiveSyncDeviceAccessRule", "Remove-ActiveSyncDeviceAccessRule",
            "Get-OrganizationConfig", "Get-ExchangeServer", "Get-ThrottlingPolicy", "Get-ManagementRoleAssignment");

    private FakeExchangeHost() {
    }

    public static void main(String[] args) throws Exception {
        Path journal = Path.of(args[0]);
        String version = args[1];
        InMemoryExchange exchange = new InMemoryExchange();
        exchange.device("alice", "ApplF17XQ0ABC", "iPhone");
        exchange.device("bob", "AndroidC0FFEE01", "Android");
        exchange.mailbox("slowdown");
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        JsonNode init = InMemoryExchange.JSON.readTree(in.readLine());
        ObjectNode hello = InMemoryExchange.JSON.createObjectNode().put("type", "hello");
        if (!init.path("type").asText().equals("init") || init.path("connectionUri").asText().contains("refuse")) {
            hello.put("error", "Connecting to remote server exch01 failed: Access is denied.");
            out.println(hello);
            out.flush();
            return;
        }
        hello.put("protocol", 1).put("version", version);
        out.println(hello);
        out.flush();
        for (String line; (line = in.readLine()) != null; ) {
            Files.writeString(journal, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            JsonNode req = InMemoryExchange.JSON.readTree(line);
            String id = req.path("id").asText();
            String cmdlet = req.path("cmdlet").asText();
            ObjectNode end = InMemoryExchange.JSON.createObjectNode().put("type", "end").put("id", id);
            end.putArray("warnings");
            if (!ALLOWED.contains(cmdlet)) {
                end.putObject("error").put("category", "NotAllowed").put("message", "cmdlet '" + cmdlet + "' is not allowed");
                out.println(end);
                out.flush();
                continue;
            }
            ObjectNode params = InMemoryExchange.JSON.createObjectNode();
            String bad = null;
            for (Iterator<Map.Entry<String, JsonNode>> it = req.path("parameters").fields(); it.hasNext(); ) {
                var e = it.next();
                JsonNode v = e.getValue().get("value");
                String type = e.getValue().path("type").asText();
                boolean ok = switch (type) {
                    case "string" -> v != null && v.isTextual();
                    case "bool" -> v != null && v.isBoolean();
                    case "int" -> v != null && v.isInt();
                    case "strings" -> v != null && v.isArray();
                    case "addRemove" -> v != null && v.isObject();
                    case "unlimited" -> true;
                    default -> false;
                };
                if (!ok) {
                    bad = e.getKey();
                    break;
                }
                if (v != null && v.isTextual() && v.asText().equals("crash-now")) {
                    System.exit(3);
                }
                if (v != null && v.isTextual() && v.asText().equals("hang-now")) {
                    Thread.sleep(Long.MAX_VALUE);
                }
                if (type.equals("addRemove")) {
                    ObjectNode h = params.putObject(e.getKey());
                    h.set("add", v.has("add") ? v.get("add") : InMemoryExchange.JSON.createArrayNode());
                    h.set("remove", v.has("remove") ? v.get("remove") : InMemoryExchange.JSON.createArrayNode());
                } else if (!type.equals("unlimited")) {
                    params.set(e.getKey(), v);
                }
            }
            if (bad != null) {
                end.putObject("error").put("category", "InvalidArgument")
                        .put("message", "Cannot bind parameter '" + bad + "': the value does not have its declared type.");
                out.println(end);
                out.flush();
                continue;
            }
            InMemoryExchange.Result r = exchange.run(cmdlet, params);
            List<ObjectNode> objects = r.objects();
            for (int i = 0; i < objects.size(); i += 100) {
                ObjectNode batch = InMemoryExchange.JSON.createObjectNode().put("type", "objects").put("id", id);
                ArrayNode a = batch.putArray("objects");
                objects.subList(i, Math.min(objects.size(), i + 100)).forEach(a::add);
                out.println(batch);
            }
            ArrayNode w = (ArrayNode) end.get("warnings");
            r.warnings().forEach(w::add);
            if ("slowdown".equals(params.path("Identity").asText())) {
                w.add("Micro delay applied: 300 ms");
            }
            if (r.error() != null) {
                end.putObject("error").put("category", r.error().category()).put("message", r.error().message())
                        .put("errorId", r.error().type());
            } else {
                end.putNull("error");
            }
            out.println(end);
            out.flush();
        }
    }

    /** The command line that runs this stand-in in a new JVM. */
    public static List<String> command(Path journal, String version) {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xshare:auto",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                FakeExchangeHost.class.getName(), journal.toString(), version);
    }
}
