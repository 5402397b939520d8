package com.cloudextender.modules.bes.devices;

import com.cloudextender.modules.support.Json;
import com.cloudextender.modules.support.inventory.ItemFormat;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import java.io.IOException;
import java.util.Map;
import java.util.Set;

/**
 * The cloud's record of a BlackBerry device: the PIN as id, the user, then the fields of the chosen
 * attribute sets, always in the same order (the sync's digest depends on it). BWS enumeration objects
 * (such as {@code state}) are written as their {@code value}.
 */
public final class DeviceJson implements ItemFormat<BesDevice> {
    private final Set<AttributeSet> sets;

    public DeviceJson(Set<AttributeSet> sets) {
        this.sets = Set.copyOf(sets);
    }

    @Override
    public String id(BesDevice d) {
        return d.pin();
    }

    @Override
    public void writeFields(BesDevice d, JsonGenerator out) throws IOException {
        out.writeStringField("pin", d.pin());
        out.writeObjectFieldStart("user");
        out.writeStringField("uid", d.userUid());
        if (d.displayName().isPresent()) {
            out.writeStringField("displayName", d.displayName().get());
        }
        if (d.email().isPresent()) {
            out.writeStringField("email", d.email().get());
        }
        out.writeEndObject();
        for (AttributeSet s : AttributeSet.values()) {
            if (!sets.contains(s)) {
                continue;
            }
            for (String[] f : s.fields()) {
                String v = d.fields().get(f[1]);
                if (v != null) {
                    out.writeStringField(f[0], v);
                }
            }
            if (s == AttributeSet.SECURITY && d.directPolicy().isPresent()) {
                out.writeStringField("directITPolicy", d.directPolicy().get());
            }
            if (s == AttributeSet.SOFTWARE && !d.applications().isEmpty()) {
                out.writeArrayFieldStart("applications");
                for (Map<String, String> a : d.applications()) {
                    out.writeStartObject();
                    for (String k : new String[]{"name", "version", "vendor"}) {
                        if (a.get(k) != null) {
                            out.writeStringField(k, a.get(k));
                        }
                    }
                    out.writeEndObject();
                }
                out.writeEndArray();
            }
        }
    }

    /** The device as one JSON object with {@code id}, as actions return it. */
    public ObjectNode toJson(BesDevice d) {
        ObjectNode o = Json.object();
        o.put("id", d.pin());
        try (TokenBuffer g = new TokenBuffer(Json.MAPPER, false)) {
            g.writeStartObject();
            writeFields(d, g);
            g.writeEndObject();
            o.setAll((ObjectNode) Json.MAPPER.readTree(g.asParser()));
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a device as JSON: " + e.getMessage(), e);
        }
        return o;
    }
}
