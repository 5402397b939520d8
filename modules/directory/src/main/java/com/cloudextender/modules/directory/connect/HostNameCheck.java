package com.cloudextender.modules.directory.connect;

import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.util.ssl.HostNameSSLSocketVerifier;
import com.unboundid.util.ssl.SSLSocketVerifier;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSocket;

/**
 * The host-name check of every TLS connection to a directory (LDAPS and StartTLS), with a failure that
 * says what did not match: "host name verification failed for dc1.corp.example, certificate names
 * [dc2.corp.example]" rather than the SDK's "91 (connect error)" with no text. The check itself is
 * the SDK's (RFC 6125 rules, no wildcards across labels).
 */
public final class HostNameCheck extends SSLSocketVerifier {
    /** How every failure message starts, so that callers can find it inside wrapped exceptions. */
    public static final String FAILURE = "host name verification failed for ";

    private final HostNameSSLSocketVerifier check = new HostNameSSLSocketVerifier(false);

    @Override
    public void verifySSLSocket(String host, int port, SSLSocket socket) throws LDAPException {
        try {
            check.verifySSLSocket(host, port, socket);
        } catch (LDAPException e) {
            throw new LDAPException(ResultCode.CONNECT_ERROR, FAILURE + host + ", certificate names " + names(socket)
                    + "; use a server name that the certificate covers", e);
        }
    }

    /** The DNS and IP names of the server's certificate, and its subject CN, as found. */
    static List<String> names(SSLSocket socket) {
        List<String> out = new ArrayList<>();
        try {
            Certificate[] chain = socket.getSession().getPeerCertificates();
            if (chain.length > 0 && chain[0] instanceof X509Certificate c) {
                Collection<List<?>> alt = c.getSubjectAlternativeNames();
                if (alt != null) {
                    for (List<?> n : alt) {
                        Object type = n.get(0);
                        if (Integer.valueOf(2).equals(type) || Integer.valueOf(7).equals(type)) { // dNSName, iPAddress
                            out.add(String.valueOf(n.get(1)));
                        }
                    }
                }
                out.add(c.getSubjectX500Principal().getName());
            }
        } catch (SSLPeerUnverifiedException | CertificateParsingException e) {
            out.add("(unreadable: " + e.getMessage() + ")");
        }
        return out;
    }

    /**
     * {@code e}'s message for an administrator: the host-name failure when there is one inside it (the
     * SDK wraps it in connect errors whose own text may be empty), else the message itself.
     */
    public static String describe(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            int at = m == null ? -1 : m.indexOf(FAILURE);
            if (at >= 0) {
                int end = m.indexOf("; use a server name", at);
                return m.substring(at, end < 0 ? m.length() : end);
            }
        }
        return String.valueOf(e.getMessage());
    }

    /**
     * The host-name failure inside {@code e} (the SDK wraps it in connect errors), or else the
     * exception's own text: never {@code null}, which a connect error's diagnostic message often is.
     */
    public static String reason(LDAPException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            int at = m == null ? -1 : m.indexOf(FAILURE);
            if (at >= 0) {
                int end = m.indexOf("; use a server name", at);
                return m.substring(at, end < 0 ? m.length() : end);
            }
        }
        String d = e.getDiagnosticMessage();
        return e.getResultCode() + ": " + (d != null && !d.isBlank() ? d : e.getExceptionMessage());
    }
}
