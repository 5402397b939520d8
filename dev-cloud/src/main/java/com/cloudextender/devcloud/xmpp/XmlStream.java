package com.cloudextender.devcloud.xmpp;

import java.io.BufferedWriter;
import java.io.FilterReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.Writer;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import org.jivesoftware.smack.packet.XmlEnvironment;
import org.jivesoftware.smack.xml.XmlPullParser;
import org.jivesoftware.smack.xml.XmlPullParserException;
import org.jivesoftware.smack.xml.XmlPullParserFactory;
import org.jivesoftware.smack.xml.xpp3.Xpp3XmlPullParserFactory;

/**
 * One client's XML stream over its socket: an incremental pull parser over the incoming bytes and a
 * buffered writer for negotiation, with the two operations that replace them, the stream restart
 * after SASL and the upgrade to TLS after STARTTLS. Used by one thread at a time: the connection's
 * reader thread (a {@link StanzaWriter} takes over writing once the stream is bound).
 */
final class XmlStream {
    /**
     * XPP3, chosen explicitly rather than through Smack's service lookup, which picks whichever parser
     * comes first on the class path (StAX among them): XPP3 parses an endless stream incrementally,
     * is fast, and reports a closed socket as an I/O error rather than as bad XML.
     */
    private static final XmlPullParserFactory PARSERS = new Xpp3XmlPullParserFactory();

    private Socket socket;
    private EofTrackingReader reader;
    private Writer writer;
    private XmlPullParser parser;
    private XmlEnvironment environment = StreamXml.CLIENT_ENVIRONMENT;
    private final boolean directTls;

    XmlStream(Socket socket, boolean directTls) throws IOException {
        this.socket = socket;
        this.directTls = directTls;
        openReaderAndWriter();
    }

    Socket socket() {
        return socket;
    }

    boolean isSecure() {
        return socket instanceof SSLSocket;
    }

    /** Whether the connection began with TLS rather than STARTTLS. */
    boolean isDirectTls() {
        return directTls;
    }

    XmlPullParser parser() {
        return parser;
    }

    /** The XML environment of the client's current stream header (namespace, language), for stanza parsing. */
    XmlEnvironment environment() {
        return environment;
    }

    /**
     * Whether {@code failure} comes from the connection ending (the client closed its side, or the
     * socket failed) rather than from bad XML.
     */
    boolean isDisconnect(XmlPullParserException failure) {
        if (reader.eof || socket.isClosed()) {
            return true;
        }
        for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    /** The peer as {@code address:port}, for logs. */
    String peer() {
        return socket.getInetAddress().getHostAddress() + ":" + socket.getPort();
    }

    /**
     * Reads up to the client's stream header and leaves the parser on it. Returns false when the input
     * ends first.
     */
    boolean awaitStreamHeader() throws IOException, XmlPullParserException {
        parser = PARSERS.newXmlPullParser(reader);
        XmlPullParser.Event event = parser.getEventType();
        while (event != XmlPullParser.Event.START_ELEMENT) {
            if (event == XmlPullParser.Event.END_DOCUMENT) {
                return false;
            }
            event = parser.next();
        }
        environment = XmlEnvironment.from(parser, StreamXml.CLIENT_ENVIRONMENT);
        return true;
    }

    /**
     * Advances to the next child of the stream element (a stanza or a nonza) and leaves the parser on
     * its start tag. Returns false when the client closed the stream ({@code </stream:stream>}).
     */
    boolean nextTopLevelElement() throws IOException, XmlPullParserException {
        while (true) {
            XmlPullParser.Event event = parser.next();
            switch (event) {
                case START_ELEMENT:
                    if (parser.getDepth() == 2) {
                        return true;
                    }
                    break;
                case END_ELEMENT:
                    if (parser.getDepth() <= 1) {
                        return false;
                    }
                    break;
                case END_DOCUMENT:
                    return false;
                default:
                    break; // whitespace keep-alives between stanzas
            }
        }
    }

    /** Skips the rest of the current top-level element, whatever position inside it the parser is at. */
    void skipRestOfTopLevelElement() throws IOException, XmlPullParserException {
        XmlPullParser.Event event = parser.getEventType();
        if (event == XmlPullParser.Event.END_ELEMENT && parser.getDepth() == 2) {
            return;
        }
        while (true) {
            event = parser.next();
            if (event == XmlPullParser.Event.END_ELEMENT && parser.getDepth() == 2) {
                return;
            }
            if (event == XmlPullParser.Event.END_DOCUMENT) {
                return;
            }
        }
    }

    /** Writes and flushes; only before a {@link StanzaWriter} takes over. */
    void write(String xml) throws IOException {
        writer.write(xml);
        writer.flush();
    }

    /**
     * Replaces the plain socket with a server-mode TLS socket over it and completes the handshake
     * (RFC 6120 section 5.4.3.3). The client sends nothing between {@code <starttls/>} and the
     * handshake, so the parser holds no unread bytes that would be lost here.
     */
    void upgradeToTls(SSLContext tls) throws IOException {
        SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(socket, (InputStream) null, true);
        ssl.setUseClientMode(false);
        ssl.startHandshake();
        socket = ssl;
        openReaderAndWriter();
    }

    private void openReaderAndWriter() throws IOException {
        reader = new EofTrackingReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        writer = new BufferedWriter(new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.UTF_8), 8192);
    }

    /**
     * Remembers that the input ended: the pull parser reports a stream that ends before
     * {@code </stream:stream>} as malformed XML, but for the server it is an ordinary disconnect.
     */
    private static final class EofTrackingReader extends FilterReader {
        private volatile boolean eof;

        EofTrackingReader(Reader in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int c = super.read();
            if (c < 0) {
                eof = true;
            }
            return c;
        }

        @Override
        public int read(char[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            if (n < 0) {
                eof = true;
            }
            return n;
        }
    }
}
