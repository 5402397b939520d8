package com.cloudextender.modules.bes.devices;

import com.cloudextender.modules.bes.wire.Entity;
import com.cloudextender.modules.support.Json;
import com.cloudextender.modules.support.inventory.ItemFormat;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.w3c.dom.Element;

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
        Optional<String> name = d.detail().text("displayName").or(() -> d.user().text("displayName"));
        if (name.isPresent()) {
            out.writeStringField("displayName", name.get());
        }
        Optional<String> email = d.email();
        if (email.isPresent()) {
            out.writeStringField("email", email.get());
        }
        out.writeEndObject();
        // One pass over the device's elements; every field is then found by name (first occurrence wins).
        Map<String, Element> byName = new HashMap<>();
        for (Element e : Entity.elementsOf(d.device().element())) {
            byName.putIfAbsent(e.getLocalName() != null ? e.getLocalName() : e.getTagName(), e);
        }
        for (AttributeSet s : AttributeSet.values()) {
            if (!sets.contains(s)) {
                continue;
            }
            for (String[] f : s.fields()) {
                Element e = byName.get(f[1]);
                if (e != null) {
                    out.writeStringField(f[0], valueOf(e));
                }
            }
            if (s == AttributeSet.SECURITY) {
                Optional<String> direct = d.detail().child("directITPolicy")
                        .flatMap(p -> Entity.of(p).child("policy"))
                        .flatMap(p -> Entity.textOf(p, "name"));
                if (direct.isPresent()) {
                    out.writeStringField("directITPolicy", direct.get());
                }
            }
            if (s == AttributeSet.SOFTWARE) {
                List<Element> apps = d.device().children("applications");
                if (!apps.isEmpty()) {
                    out.writeArrayFieldStart("applications");
                    for (Element a : apps) {
                        out.writeStartObject();
                        for (String k : new String[]{"name", "version", "vendor"}) {
                            Optional<String> v = Entity.textOf(a, k);
                            if (v.isPresent()) {
                                out.writeStringField(k, v.get());
                            }
                        }
                        out.writeEndObject();
                    }
                    out.writeEndArray();
                }
            }
        }
    }

    /** An enumeration object's {@code value}, else the element's text. */
    private static String valueOf(Element e) {
        return Entity.textOf(e, "value").orElseGet(() -> e.getTextContent().trim());
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
