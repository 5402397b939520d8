package com.cloudextender.modules.traveler.devices;

import com.cloudextender.modules.support.Json;
import com.cloudextender.modules.support.inventory.ItemFormat;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * The cloud's record of a Traveler device, always in the same field order (the sync's digest depends on
 * it); empty texts are left out. The last sync time is cut to {@code lastSyncPrecision} in inventory
 * records, because an active device syncs every few minutes and would otherwise count as changed on
 * every run; actions report it exactly.
 */
public final class DeviceFormat implements ItemFormat<Device> {
    private final long precisionSeconds;

    /** @param lastSyncPrecision the step last sync times are cut to; zero keeps them exact */
    public DeviceFormat(Duration lastSyncPrecision) {
        this.precisionSeconds = lastSyncPrecision.getSeconds();
    }

    @Override
    public String id(Device d) {
        return d.id();
    }

    @Override
    public void writeFields(Device d, JsonGenerator out) throws IOException {
        field(out, "user", d.user());
        field(out, "deviceId", d.deviceId());
        field(out, "name", d.name());
        field(out, "type", d.type());
        field(out, "os", d.os());
        field(out, "clientType", d.clientType());
        field(out, "clientVersion", d.clientVersion());
        field(out, "lastSync", cut(d.lastSync()));
        field(out, "state", d.state());
        field(out, "access", d.access());
        field(out, "approval", d.approval());
        field(out, "wipeStatus", d.wipeStatus());
        list(out, "wipeOptions", d.wipeOptions());
        list(out, "wipeSupported", d.wipeSupported());
        field(out, "policy", d.policy());
    }

    /** The device as actions return it: every field, the last sync time exact. */
    public static ObjectNode toJson(Device d) {
        ObjectNode o = Json.object();
        o.put("id", d.id());
        put(o, "user", d.user());
        put(o, "deviceId", d.deviceId());
        put(o, "name", d.name());
        put(o, "type", d.type());
        put(o, "os", d.os());
        put(o, "clientType", d.clientType());
        put(o, "clientVersion", d.clientVersion());
        put(o, "lastSync", d.lastSync());
        put(o, "state", d.state());
        put(o, "access", d.access());
        put(o, "approval", d.approval());
        put(o, "wipeStatus", d.wipeStatus());
        ArrayNode options = o.putArray("wipeOptions");
        d.wipeOptions().forEach(options::add);
        ArrayNode supported = o.putArray("wipeSupported");
        d.wipeSupported().forEach(supported::add);
        put(o, "policy", d.policy());
        return o;
    }

    /** {@code time} cut to the precision, when it is an ISO-8601 instant; otherwise as the server wrote it. */
    String cut(String time) {
        if (precisionSeconds <= 0 || time.isEmpty()) {
            return time;
        }
        String fast = cutUtc(time);
        if (fast != null) {
            return fast;
        }
        try {
            long s = Instant.parse(time).getEpochSecond();
            return Instant.ofEpochSecond(Math.floorDiv(s, precisionSeconds) * precisionSeconds).toString();
        } catch (DateTimeParseException e) {
            return time;
        }
    }

    /**
     * The common case without parsing a date: {@code yyyy-MM-ddTHH:mm:ss[.fff]Z} with a precision that
     * divides a day only changes the time of day (Instant.parse costs about as much as the rest of a
     * record). {@code null} when the text or the precision does not fit.
     */
    private String cutUtc(String t) {
        int n = t.length();
        if (86_400 % precisionSeconds != 0 || n < 20 || t.charAt(n - 1) != 'Z' || t.charAt(10) != 'T'
                || t.charAt(13) != ':' || t.charAt(16) != ':' || t.charAt(4) != '-' || t.charAt(7) != '-'
                || (n > 20 && t.charAt(19) != '.')) {
            return null;
        }
        int h = digits(t, 11);
        int m = digits(t, 14);
        int s = digits(t, 17);
        if (h < 0 || h > 23 || m < 0 || m > 59 || s < 0 || s > 59 || digits(t, 5) < 1 || digits(t, 8) < 1) {
            return null;
        }
        long sod = (h * 3600L + m * 60L + s) / precisionSeconds * precisionSeconds;
        char[] out = new char[20];
        t.getChars(0, 11, out, 0);
        two(out, 11, (int) (sod / 3600));
        out[13] = ':';
        two(out, 14, (int) (sod / 60 % 60));
        out[16] = ':';
        two(out, 17, (int) (sod % 60));
        out[19] = 'Z';
        return new String(out);
    }

    private static int digits(String t, int at) {
        char a = t.charAt(at);
        char b = t.charAt(at + 1);
        return a >= '0' && a <= '9' && b >= '0' && b <= '9' ? (a - '0') * 10 + (b - '0') : -1;
    }

    private static void two(char[] out, int at, int v) {
        out[at] = (char) ('0' + v / 10);
        out[at + 1] = (char) ('0' + v % 10);
    }

    private static void field(JsonGenerator out, String name, String value) throws IOException {
        if (!value.isEmpty()) {
            out.writeStringField(name, value);
        }
    }

    private static void list(JsonGenerator out, String name, List<String> values) throws IOException {
        if (!values.isEmpty()) {
            out.writeArrayFieldStart(name);
            for (String v : values) {
                out.writeString(v);
            }
            out.writeEndArray();
        }
    }

    private static void put(ObjectNode o, String name, String value) {
        if (!value.isEmpty()) {
            o.put(name, value);
        }
    }
}
