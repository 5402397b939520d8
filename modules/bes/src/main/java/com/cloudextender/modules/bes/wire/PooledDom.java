package com.cloudextender.modules.bes.wire;

import jakarta.xml.bind.ValidationEventHandler;
import jakarta.xml.bind.annotation.DomHandler;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.Source;
import javax.xml.transform.dom.DOMResult;
import javax.xml.transform.dom.DOMSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * How JAXB turns an entity's elements into DOM: into a fragment of one document per thread. JAXB's own
 * handler gives the transformer an empty result, which then builds a new parser and document for every
 * element; on a large inventory that was most of the time spent reading (BesBench).
 */
public final class PooledDom implements DomHandler<Element, DOMResult> {
    private static final ThreadLocal<Document> DOCUMENT = ThreadLocal.withInitial(PooledDom::newDocument);

    @Override
    public DOMResult createUnmarshaller(ValidationEventHandler errorHandler) {
        return new DOMResult(DOCUMENT.get().createDocumentFragment());
    }

    @Override
    public Element getElement(DOMResult result) {
        for (Node n = result.getNode().getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                return e;
            }
        }
        return null;
    }

    @Override
    public Source marshal(Element element, ValidationEventHandler errorHandler) {
        return new DOMSource(element);
    }

    private static Document newDocument() {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            return f.newDocumentBuilder().newDocument();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("no XML document builder in this Java runtime", e);
        }
    }
}
