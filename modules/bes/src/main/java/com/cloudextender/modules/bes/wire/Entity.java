package com.cloudextender.modules.bes.wire;

import jakarta.xml.bind.annotation.XmlAnyElement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * An object as BWS sent it (a user, a device, an IT policy, an authenticator): its child elements kept
 * as they came, read by local name, and sent back unchanged where an operation takes the object.
 */
public class Entity {
    @XmlAnyElement
    public List<Element> fields = new ArrayList<>();

    /** The text of the first child element {@code name}, if present. */
    public Optional<String> text(String name) {
        return child(name).map(e -> e.getTextContent().trim());
    }

    /** The first child element {@code name}, if present. */
    public Optional<Element> child(String name) {
        for (Element e : fields) {
            if (name.equals(localName(e))) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /** Every child element {@code name}, in order (a repeated element is BWS's list). */
    public List<Element> children(String name) {
        List<Element> out = new ArrayList<>();
        for (Element e : fields) {
            if (name.equals(localName(e))) {
                out.add(e);
            }
        }
        return out;
    }

    /** The element's own child elements, in order. */
    public static List<Element> elementsOf(Element parent) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                out.add(e);
            }
        }
        return out;
    }

    /** The text of {@code parent}'s first child element {@code name}, if present. */
    public static Optional<String> textOf(Element parent, String name) {
        for (Element e : elementsOf(parent)) {
            if (name.equals(localName(e))) {
                return Optional.of(e.getTextContent().trim());
            }
        }
        return Optional.empty();
    }

    /** An entity holding {@code element}'s children, as if BWS had sent it on its own. */
    public static Entity of(Element element) {
        Entity o = new Entity();
        o.fields.addAll(elementsOf(element));
        return o;
    }

    static String localName(Element e) {
        return e.getLocalName() != null ? e.getLocalName() : e.getTagName();
    }
}
