package com.cloudextender.core.protocol;

import java.io.StringReader;

import javax.xml.parsers.SAXParserFactory;

import org.xml.sax.InputSource;
import org.xml.sax.helpers.DefaultHandler;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;

/** Helpers shared by the stanza fuzz tests: text that XML can carry, escaping, a strict well-formedness check. */
final class StanzaFuzzing {
    private StanzaFuzzing() {
    }

    /** A string of at most {@code max} characters, with the characters XML 1.0 cannot carry left out. */
    static String xmlText(FuzzedDataProvider data, int max) {
        String s = data.consumeString(max);
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().filter(StanzaFuzzing::isXmlChar).forEach(b::appendCodePoint);
        return b.toString();
    }

    static boolean isXmlChar(int c) {
        return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD)
                || (c >= 0x10000 && c <= 0x10FFFF);
    }

    /** Escaped for a single-quoted attribute; line ends and tabs as character references so they survive. */
    static String attr(String s) {
        return text(s).replace("'", "&apos;").replace("\"", "&quot;").replace("\t", "&#9;").replace("\n", "&#10;");
    }

    /** Escaped for element content; CR as a character reference, which line-end normalisation would drop. */
    static String text(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;");
    }

    /**
     * {@code body} as the extender writes it when it holds characters XML cannot carry: each as a JSON
     * {@code \}{@code uXXXX} escape (the same JSON value, as such characters are only valid inside strings).
     */
    static String withNonXmlEscaped(String body) {
        StringBuilder b = new StringBuilder();
        body.codePoints().forEach(c -> {
            if (isXmlChar(c)) {
                b.appendCodePoint(c);
            } else {
                b.append(String.format("\\u%04x", c));
            }
        });
        return b.toString();
    }

    /** Fails unless {@code xml} is a well-formed XML document for the JDK's strict parser, as a server would check. */
    static void assertWellFormed(String xml) throws Exception {
        SAXParserFactory f = SAXParserFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        try {
            f.newSAXParser().parse(new InputSource(new StringReader(xml)), new DefaultHandler());
        } catch (org.xml.sax.SAXParseException e) {
            throw new AssertionError("not well-formed XML (" + e.getMessage() + "): " + WireText.of(xml, 2000), e);
        }
    }
}
