package com.cloudextender.core.protocol;

import org.jivesoftware.smack.packet.IQ;

/**
 * {@code <lease xmlns='urn:cloudextender:1' name='…' …/>}: a customer-wide lease (docs/PROTOCOL.md section
 * 11). As a request (IQ set, extender to cloud) it carries {@code op} ({@code acquire}, which also renews,
 * or {@code release}) and optionally the wished {@code term-ms}. As the answer (IQ result) it carries the
 * {@code state} ({@code held}, {@code taken} or {@code released}), the lease's current {@code generation},
 * the {@code term-ms} the cloud granted, and for {@code taken} the {@code holder} and the {@code retry-ms}
 * after which asking again makes sense.
 */
public final class LeaseIq extends IQ {
    public static final String ELEMENT = "lease";

    /** Asks for the lease, or renews it when already held. */
    public static final String ACQUIRE = "acquire";
    /** Gives the lease back. */
    public static final String RELEASE = "release";
    public static final String HELD = "held";
    public static final String TAKEN = "taken";
    public static final String RELEASED = "released";

    private final String name;
    private final String op;
    private final String state;
    private final long generation;
    private final long termMillis;
    private final String holder;
    private final long retryMillis;

    private LeaseIq(Type type, String name, String op, String state, long generation, long termMillis, String holder,
            long retryMillis) {
        super(ELEMENT, Protocol.NAMESPACE);
        setType(type);
        this.name = name;
        this.op = op;
        this.state = state;
        this.generation = generation;
        this.termMillis = termMillis;
        this.holder = holder;
        this.retryMillis = retryMillis;
    }

    /** A request: {@code op} is {@link #ACQUIRE} or {@link #RELEASE}; {@code termMillis} 0 leaves the term to the cloud. */
    public static LeaseIq request(String name, String op, long termMillis) {
        return new LeaseIq(Type.set, name, op, null, 0, termMillis, null, 0);
    }

    /** An answer to {@code request}, addressed back to its sender. */
    public static LeaseIq answer(IQ request, String name, String state, long generation, long termMillis, String holder,
            long retryMillis) {
        LeaseIq iq = new LeaseIq(Type.result, name, null, state, generation, termMillis, holder, retryMillis);
        iq.setStanzaId(request.getStanzaId());
        iq.setTo(request.getFrom());
        iq.setFrom(request.getTo());
        return iq;
    }

    /** Parsed from the wire. */
    static LeaseIq parsed(String name, String op, String state, long generation, long termMillis, String holder,
            long retryMillis) {
        return new LeaseIq(Type.set, name, op, state, generation, termMillis, holder, retryMillis);
    }

    public String name() {
        return name;
    }

    /** The request's operation; null in an answer. */
    public String op() {
        return op;
    }

    /** The answer's state; null in a request. */
    public String state() {
        return state;
    }

    public long generation() {
        return generation;
    }

    public long termMillis() {
        return termMillis;
    }

    /** For {@link #TAKEN}: the extender id holding the lease. */
    public String holder() {
        return holder;
    }

    /** For {@link #TAKEN}: when asking again makes sense, in milliseconds; 0 when not said. */
    public long retryMillis() {
        return retryMillis;
    }

    @Override
    protected IQChildElementXmlStringBuilder getIQChildElementBuilder(IQChildElementXmlStringBuilder xml) {
        xml.optAttribute("name", XmlChars.clean(name));
        xml.optAttribute("op", op);
        xml.optAttribute("state", state);
        if (generation > 0) {
            xml.attribute("generation", Long.toString(generation));
        }
        if (termMillis > 0) {
            xml.attribute("term-ms", Long.toString(termMillis));
        }
        xml.optAttribute("holder", XmlChars.clean(holder));
        if (retryMillis > 0) {
            xml.attribute("retry-ms", Long.toString(retryMillis));
        }
        xml.setEmptyElement();
        return xml;
    }
}
