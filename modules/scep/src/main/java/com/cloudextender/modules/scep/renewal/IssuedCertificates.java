package com.cloudextender.modules.scep.renewal;

import com.cloudextender.api.ModuleState;
import com.cloudextender.modules.support.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The certificates issued through the extender, in the module's durable state under
 * {@code issued/<profile>/<serial>} as small JSON objects. Thread-safe, as {@link ModuleState} is.
 */
public final class IssuedCertificates {
    private static final String PREFIX = "issued/";
    private final ModuleState state;

    public IssuedCertificates(ModuleState state) {
        this.state = state;
    }

    /** Records {@code record}, replacing one with the same profile and serial. */
    public void record(IssuedRecord record) {
        state.put(key(record.profile(), record.serial()), encode(record));
    }

    /** Records {@code renewed} and marks {@code old} (when known) as replaced by it, in one atomic step. */
    public void recordRenewal(String profile, String oldSerial, IssuedRecord renewed) {
        Optional<IssuedRecord> old = find(profile, oldSerial);
        if (old.isEmpty()) {
            record(renewed);
            return;
        }
        state.update(Map.of(key(profile, renewed.serial()), encode(renewed),
                key(profile, oldSerial), encode(old.get().renewedBy(renewed.serial()))), Set.of());
    }

    /** The record of {@code serial} in {@code profile}, if any. */
    public Optional<IssuedRecord> find(String profile, String serial) {
        return state.get(key(profile, serial)).map(IssuedCertificates::decode);
    }

    /** Records not yet renewed that expire before {@code before}, soonest first. */
    public List<IssuedRecord> expiringBefore(Instant before) {
        List<IssuedRecord> out = new ArrayList<>();
        state.forEach(PREFIX, (k, v) -> {
            IssuedRecord r = decode(v);
            if (r.renewedBy().isEmpty() && r.notAfter().isBefore(before)) {
                out.add(r);
            }
        });
        out.sort(Comparator.comparing(IssuedRecord::notAfter));
        return out;
    }

    private static String key(String profile, String serial) {
        return PREFIX + profile + "/" + serial;
    }

    private static byte[] encode(IssuedRecord r) {
        ObjectNode o = Json.object();
        o.put("profile", r.profile());
        o.put("serial", r.serial());
        o.put("subject", r.subject());
        o.put("issuer", r.issuer());
        o.put("notAfter", r.notAfter().toString());
        r.device().ifPresent(d -> o.put("device", d));
        r.user().ifPresent(u -> o.put("user", u));
        r.renewedBy().ifPresent(s -> o.put("renewedBy", s));
        return Json.text(o).getBytes(StandardCharsets.UTF_8);
    }

    private static IssuedRecord decode(byte[] bytes) {
        try {
            JsonNode o = Json.MAPPER.readTree(bytes);
            return new IssuedRecord(o.path("profile").asText(), o.path("serial").asText(), o.path("subject").asText(),
                    o.path("issuer").asText(), Instant.parse(o.path("notAfter").asText()), text(o, "device"),
                    text(o, "user"), text(o, "renewedBy"));
        } catch (IOException e) {
            throw new UncheckedIOException("a stored certificate record is not JSON: " + e.getMessage(), e);
        }
    }

    private static Optional<String> text(JsonNode o, String field) {
        JsonNode n = o.get(field);
        return n == null || n.isNull() ? Optional.empty() : Optional.of(n.asText());
    }
}
