package com.cloudextender.core.protocol;

/**
 * {@code <health xmlns='urn:cloudextender:1'>JSON</health>}, an IQ of type set from the extender to
 * the cloud: sent once after every connect (it doubles as the extender's hello) and then
 * periodically. The JSON is described in docs/PROTOCOL.md.
 */
public final class HealthIq extends JsonBodyIq {
    public static final String ELEMENT = "health";

    public HealthIq(String report) {
        super(ELEMENT, report);
        setType(Type.set);
    }

    /** The report as JSON text. */
    public String report() {
        return body();
    }

    @Override
    protected void attributes(IQChildElementXmlStringBuilder xml) {
        // no attributes: everything is in the JSON report
    }
}
