package com.cloudextender.devcloud.console;

import java.util.TreeSet;

import com.cloudextender.devcloud.CommandOutcome;
import com.cloudextender.devcloud.ExtenderView;
import com.cloudextender.devcloud.ResultView;
import com.cloudextender.devcloud.UploadView;
import com.cloudextender.devcloud.features.Feature;
import com.cloudextender.devcloud.http.Exchanges;
import com.cloudextender.devcloud.modules.ModuleDownloadHandler;
import com.cloudextender.devcloud.modules.ModuleEntry;
import com.cloudextender.devcloud.routing.CommandStatus;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The console's JSON forms of the dev cloud's views. JSON texts (health, payloads) are embedded as JSON. */
final class ConsoleJson {
    private ConsoleJson() {
    }

    static ObjectNode extender(ExtenderView e) {
        ObjectNode node = Exchanges.JSON.createObjectNode();
        node.put("id", e.id());
        node.put("customer", e.customer());
        node.put("connected", e.connected());
        node.set("lastHealth", Exchanges.jsonOrText(e.lastHealthJson()));
        node.put("connectedSince", e.connectedSince() == null ? null : e.connectedSince().toString());
        return node;
    }

    static ObjectNode outcome(CommandOutcome o) {
        ObjectNode node = Exchanges.JSON.createObjectNode();
        node.put("commandId", o.commandId());
        node.put("status", "done");
        fillOutcome(node, o);
        return node;
    }

    static ObjectNode status(CommandStatus s) {
        ObjectNode node = Exchanges.JSON.createObjectNode();
        node.put("commandId", s.commandId());
        node.put("status", s.isDone() ? "done" : "pending");
        ObjectNode target = node.putObject("target");
        if (s.target().isCustomer()) {
            target.put("customer", s.target().customer());
        } else {
            target.put("extender", s.target().extenderId());
        }
        node.put("module", s.module());
        node.put("action", s.action());
        node.put("deliveries", s.deliveries());
        node.put("accepted", s.accepted());
        if (s.isDone()) {
            fillOutcome(node, s.outcome());
        } else {
            node.put("extenderId", s.extenderId());
        }
        return node;
    }

    private static void fillOutcome(ObjectNode node, CommandOutcome o) {
        node.put("extenderId", o.extenderId());
        node.put("ok", o.isOk());
        node.put("errorCode", o.errorCode());
        node.put("refusedCode", o.refusedCode());
        node.put("elapsedMillis", o.elapsedMillis());
        node.set("payload", Exchanges.jsonOrText(o.payload()));
    }

    static ObjectNode upload(UploadView u) {
        ObjectNode node = Exchanges.JSON.createObjectNode();
        node.put("slotId", u.slotId());
        node.put("filename", u.filename());
        node.put("size", u.size());
        node.put("complete", u.complete());
        node.put("sha256", u.sha256());
        node.put("file", u.file().toString());
        return node;
    }

    static ObjectNode result(ResultView r) {
        ObjectNode node = Exchanges.JSON.createObjectNode();
        node.put("commandId", r.commandId());
        node.put("extenderId", r.extenderId());
        node.put("errorCode", r.errorCode());
        node.put("timesReceived", r.timesReceived());
        node.set("payload", Exchanges.jsonOrText(r.payload()));
        return node;
    }

    static ObjectNode module(ModuleEntry m) {
        ObjectNode node = Exchanges.JSON.createObjectNode();
        node.put("id", m.id());
        node.put("version", m.version().toString());
        node.put("channel", m.channel().wireName());
        node.put("sha256", m.sha256());
        node.put("size", m.size());
        node.put("file", m.file());
        node.put("path", ModuleDownloadHandler.PATH + m.file());
        node.put("publishedAt", m.publishedAt().toString());
        return node;
    }

    /**
     * The feature with the keys of its configuration only: values may be credentials (a module declares
     * which in its descriptor, which the cloud does not interpret), so none is echoed.
     */
    static ObjectNode feature(Feature f) {
        ObjectNode node = Exchanges.JSON.createObjectNode();
        node.put("customer", f.customer());
        node.put("moduleId", f.moduleId());
        ArrayNode keys = node.putArray("configKeys");
        new TreeSet<>(f.config().keySet()).forEach(keys::add);
        return node;
    }
}
