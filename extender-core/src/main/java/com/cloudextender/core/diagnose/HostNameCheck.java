package com.cloudextender.core.diagnose;

import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSocket;

import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.util.ssl.HostNameSSLSocketVerifier;
import com.unboundid.util.ssl.SSLSocketVerifier;

/**
 * The host-name check of a directory's TLS connection, failing with what did not match ("host name
 * verification failed for dc1, certificate names [dc2, CN=dc2]") as the directory module reports it,
 * instead of a connect error without text.
 */
final class HostNameCheck extends SSLSocketVerifier {
    static final String FAILURE = "host name verification failed for ";

    private final HostNameSSLSocketVerifier check = new HostNameSSLSocketVerifier(true);

    @Override
    public void verifySSLSocket(String host, int port, SSLSocket socket) throws LDAPException {
        try {
            check.verifySSLSocket(host, port, socket);
        } catch (LDAPException e) {
            throw new LDAPException(ResultCode.CONNECT_ERROR, FAILURE + host + ", certificate names " + names(socket), e);
        }
    }

    private static List<String> names(SSLSocket socket) {
        List<String> out = new ArrayList<>();
        try {
            Certificate[] chain = socket.getSession().getPeerCertificates();
            if (chain.length > 0 && chain[0] instanceof X509Certificate c) {
                Collection<List<?>> alt = c.getSubjectAlternativeNames();
                if (alt != null) {
                    for (List<?> n : alt) {
                        if (Integer.valueOf(2).equals(n.get(0)) || Integer.valueOf(7).equals(n.get(0))) {
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

    /** The host-name failure somewhere in {@code e}'s messages, if there is one. */
    static java.util.Optional<String> failure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            int at = m == null ? -1 : m.indexOf(FAILURE);
            if (at >= 0) {
                int end = m.indexOf(']', at);
                return java.util.Optional.of(m.substring(at, end < 0 ? m.length() : end + 1));
            }
        }
        return java.util.Optional.empty();
    }
}
