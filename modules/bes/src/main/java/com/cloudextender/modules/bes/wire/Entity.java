package com.cloudextender.modules.bes.wire;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * An object as BWS sent it (a user, a device, an IT policy, an authenticator): its element, kept as it
 * came, read by the local names of its children, and sent back unchanged where an operation takes the
 * object. One element per object, so that reading a large answer builds one DOM subtree per object.
 */
public final class Entity {
    private final Element element;

    private Entity(Element element) {
        this.element = element;
    }

    /** The object {@code element} holds. */
    public static Entity of(Element element) {
        return new Entity(element);
    }

    /** The object's own element, as received (its name is the field BWS sent it in). */
    public Element element() {
        return element;
    }

    /** A copy of the object's element named {@code name}, for a request field of another name. */
    public Element as(String name) {
        Element copy = (Element) element.cloneNode(true);
        return (Element) copy.getOwnerDocument().renameNode(copy, element.getNamespaceURI(), name);
    }

    /** The text of the first child element {@code name}, if present. */
    public Optional<String> text(String name) {
        return textOf(element, name);
    }

    /** The first child element {@code name}, if present. */
    public Optional<Element> child(String name) {
        for (Node n = element.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && name.equals(localName(e))) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /** Every child element {@code name}, in order (a repeated element is BWS's list). */
    public List<Element> children(String name) {
        return named(elementsOf(element), name);
    }

    /** The elements of {@code all} named {@code name}, in order. */
    public static List<Element> named(List<Element> all, String name) {
        List<Element> out = new ArrayList<>();
        for (Element e : all) {
            if (name.equals(localName(e))) {
                out.add(e);
            }
        }
        return out;
    }

    /** The elements of {@code all} named {@code name}, as entities. */
    public static List<Entity> entities(List<Element> all, String name) {
        List<Entity> out = new ArrayList<>();
        for (Element e : named(all, name)) {
            out.add(new Entity(e));
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
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && name.equals(localName(e))) {
                return Optional.of(e.getTextContent().trim());
            }
        }
        return Optional.empty();
    }

    static String localName(Element e) {
        return e.getLocalName() != null ? e.getLocalName() : e.getTagName();
    }
}
