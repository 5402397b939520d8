package com.cloudextender.core.protocol;

/**
 * {@code <result xmlns='urn:cloudextender:1' id='…' module='…' action='…' status='ok|error'
 * [error='CODE'] elapsed-ms='…'>JSON</result>}, an IQ of type set from the extender to the cloud.
 * The cloud's empty IQ result acknowledges it; until then the extender keeps it in its outbox.
 */
public final class ResultIq extends JsonBodyIq {
    public static final String ELEMENT = "result";

    private final String commandId;
    private final String module;
    private final String action;
    private final String errorCode;
    private final long elapsedMillis;

    public ResultIq(String commandId, String module, String action, String errorCode, long elapsedMillis,
            String payload) {
        super(ELEMENT, payload);
        this.commandId = commandId;
        this.module = module;
        this.action = action;
        this.errorCode = errorCode;
        this.elapsedMillis = elapsedMillis;
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

    /** {@code null} when the command succeeded, else an {@link com.cloudextender.api.ErrorCode} name. */
    public String errorCode() {
        return errorCode;
    }

    public boolean isOk() {
        return errorCode == null;
    }

    public long elapsedMillis() {
        return elapsedMillis;
    }

    /** The result payload as JSON text. */
    public String payload() {
        return body();
    }

    @Override
    protected void attributes(IQChildElementXmlStringBuilder xml) {
        optAttribute(xml, "id", commandId);
        optAttribute(xml, "module", module);
        optAttribute(xml, "action", action);
        xml.attribute("status", errorCode == null ? "ok" : "error");
        optAttribute(xml, "error", errorCode);
        xml.attribute("elapsed-ms", Long.toString(elapsedMillis));
    }
}
