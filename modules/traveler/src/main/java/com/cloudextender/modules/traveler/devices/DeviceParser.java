package com.cloudextender.modules.traveler.devices;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads the administration API's device objects from a JSON stream, one at a time, without building
 * a tree: the device list envelope {@code {"total","start","count","devices":[…]}} and each device's
 * fields (the wire names of the module README; unknown fields are skipped, absent ones left empty).
 */
public final class DeviceParser {
    private DeviceParser() {
    }

    /** What one page held. */
    public record Page(int devices, long total) {
    }

    /** A consumer of parsed devices that may fail. */
    @FunctionalInterface
    public interface DeviceConsumer {
        void accept(Device device) throws Exception;
    }

    /**
     * Reads one answer of the device list: every device goes to {@code each} as soon as it is parsed.
     *
     * @throws JsonParseException when the answer is not the device list (the message says what it was)
     */
    public static Page page(JsonParser p, DeviceConsumer each) throws Exception {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw new JsonParseException(p, "the device list is not a JSON object");
        }
        int count = 0;
        long total = -1;
        boolean sawDevices = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            if ("devices".equals(field) && t == JsonToken.START_ARRAY) {
                sawDevices = true;
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    each.accept(device(p));
                    count++;
                }
            } else if ("total".equals(field) && t.isNumeric()) {
                total = p.getLongValue();
            } else {
                p.skipChildren();
            }
        }
        if (!sawDevices) {
            throw new JsonParseException(p, "the answer has no \"devices\" array");
        }
        return new Page(count, total);
    }

    /** Reads the device object whose START_OBJECT is the current token. */
    public static Device device(JsonParser p) throws IOException {
        String user = "";
        String deviceId = "";
        String name = "";
        String type = "";
        String os = "";
        String clientType = "";
        String clientVersion = "";
        String lastSync = "";
        String state = "";
        String access = "";
        String approval = "";
        String wipeStatus = "";
        List<String> wipeOptions = List.of();
        List<String> wipeSupported = List.of();
        String policy = "";
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            switch (field) {
                case "userName" -> user = text(p, t);
                case "deviceId" -> deviceId = text(p, t);
                case "deviceName" -> name = text(p, t);
                case "deviceType" -> type = text(p, t);
                case "os" -> os = text(p, t);
                case "clientType" -> clientType = text(p, t);
                case "clientVersion" -> clientVersion = text(p, t);
                case "lastSync" -> lastSync = text(p, t);
                case "state" -> state = text(p, t);
                case "access" -> access = text(p, t);
                case "approval" -> approval = text(p, t);
                case "policy" -> policy = text(p, t);
                case "wipeOptionsSupported" -> wipeSupported = texts(p, t);
                case "wipe" -> {
                    if (t == JsonToken.START_OBJECT) {
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String f = p.currentName();
                            JsonToken v = p.nextToken();
                            if ("status".equals(f)) {
                                wipeStatus = text(p, v);
                            } else if ("options".equals(f)) {
                                wipeOptions = texts(p, v);
                            } else {
                                p.skipChildren();
                            }
                        }
                    } else {
                        p.skipChildren();
                    }
                }
                default -> p.skipChildren();
            }
        }
        return new Device(user, deviceId, name, type, os, clientType, clientVersion, lastSync, state, access, approval,
                wipeStatus, wipeOptions, wipeSupported, policy);
    }

    private static String text(JsonParser p, JsonToken t) throws IOException {
        if (t.isScalarValue()) {
            return t == JsonToken.VALUE_NULL ? "" : p.getText();
        }
        p.skipChildren();
        return "";
    }

    private static List<String> texts(JsonParser p, JsonToken t) throws IOException {
        if (t != JsonToken.START_ARRAY) {
            p.skipChildren();
            return List.of();
        }
        List<String> out = new ArrayList<>(4);
        JsonToken e;
        while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
            if (e.isScalarValue() && e != JsonToken.VALUE_NULL) {
                out.add(p.getText());
            } else {
                p.skipChildren();
            }
        }
        return out;
    }

    /** Collects every device of one answer (small answers: a device looked up by id). */
    public static List<Device> all(JsonParser p) throws Exception {
        List<Device> out = new ArrayList<>();
        Consumer<Device> add = out::add;
        page(p, add::accept);
        return out;
    }
}
