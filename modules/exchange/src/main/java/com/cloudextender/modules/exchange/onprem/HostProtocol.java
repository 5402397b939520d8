package com.cloudextender.modules.exchange.onprem;

import com.cloudextender.modules.exchange.cmdlet.AddRemove;
import com.cloudextender.modules.exchange.cmdlet.CmdletCall;
import com.cloudextender.modules.support.Json;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The line protocol between the module and its PowerShell host: one JSON object per line, UTF-8.
 *
 * <ul>
 *   <li>module → host, first line: {@code {"type":"init","connectionUri","authentication","username"?,"password"?}};</li>
 *   <li>host → module: {@code {"type":"hello","protocol":1,"version":"15.2.1118.7"}} once the remote
 *       session is open, or {@code {"type":"hello","error":"…"}};</li>
 *   <li>module → host: {@code {"type":"request","id","cmdlet","parameters":{name:{"type","value"}}}}
 *       where type is {@code string}, {@code bool}, {@code int}, {@code strings}, {@code addRemove}
 *       (value {@code {"add":[…],"remove":[…]}}) or {@code unlimited};</li>
 *   <li>host → module: any number of {@code {"type":"objects","id","objects":[…]}}, then
 *       {@code {"type":"end","id","warnings":[…],"error":null|{"category","message","errorId"}}}.</li>
 * </ul>
 * Values are data: the host binds each one to its parameter by name and never evaluates it.
 */
public final class HostProtocol {
    /** The protocol version this module speaks. */
    public static final int VERSION = 1;

    private HostProtocol() {
    }

    /** The request line (without the newline) for {@code call}, run as {@code cmdletName}. */
    public static String request(String id, String cmdletName, CmdletCall call) {
        ObjectNode r = Json.object();
        r.put("type", "request");
        r.put("id", id);
        r.put("cmdlet", cmdletName);
        ObjectNode params = r.putObject("parameters");
        call.parameters().forEach((name, value) -> {
            ObjectNode p = params.putObject(name);
            if (value instanceof String s) {
                p.put("type", "string").put("value", s);
            } else if (value instanceof Boolean b) {
                p.put("type", "bool").put("value", b);
            } else if (value instanceof Integer i) {
                p.put("type", "int").put("value", i);
            } else if (value instanceof CmdletCall.Unlimited) {
                p.put("type", "unlimited");
            } else if (value instanceof AddRemove ar) {
                p.put("type", "addRemove");
                ObjectNode v = p.putObject("value");
                ar.add().forEach(v.putArray("add")::add);
                ar.remove().forEach(v.putArray("remove")::add);
            } else if (value instanceof List<?> list) {
                p.put("type", "strings");
                ArrayNode a = p.putArray("value");
                list.forEach(x -> a.add((String) x));
            }
        });
        return Json.text(r);
    }
}
