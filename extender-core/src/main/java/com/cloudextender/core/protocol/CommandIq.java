package com.cloudextender.core.protocol;

/**
 * {@code <command xmlns='urn:cloudextender:1' id='…' module='…' action='…' timeout-ms='…'>JSON</command>},
 * an IQ of type set sent by the cloud. Parsing is lenient on purpose: a command with missing
 * attributes is still delivered, so the extender can answer it with a precise error instead of the
 * stanza being dropped.
 */
public final class CommandIq extends JsonBodyIq {
    public static final String ELEMENT = "command";

    private final String commandId;
    private final String module;
    private final String action;
    private final Long timeoutMillis;

    public CommandIq(String commandId, String module, String action, Long timeoutMillis, String arguments) {
        super(ELEMENT, arguments);
        this.commandId = commandId;
        this.module = module;
        this.action = action;
        this.timeoutMillis = timeoutMillis;
        setType(Type.set);
    }

    public String commandId() {
        return commandId;
    }

    public String module() {
        return module;
    }

    public String action() {
        return action;
    }

    /** The time limit the cloud asked for, or {@code null} for the extender's default. */
    public Long timeoutMillis() {
        return timeoutMillis;
    }

    /** The arguments' JSON text, possibly empty or invalid; the dispatcher validates it. */
    public String arguments() {
        return body();
    }

    @Override
    protected void attributes(IQChildElementXmlStringBuilder xml) {
        optAttribute(xml, "id", commandId);
        optAttribute(xml, "module", module);
        optAttribute(xml, "action", action);
        if (timeoutMillis != null) {
            xml.attribute("timeout-ms", timeoutMillis.toString());
        }
    }
}
