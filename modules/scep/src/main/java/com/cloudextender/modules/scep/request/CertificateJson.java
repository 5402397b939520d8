package com.cloudextender.modules.scep.request;

import com.cloudextender.modules.support.Json;
import com.cloudextender.modules.scep.enrol.Issued;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import javax.security.auth.x500.X500Principal;

/** The result object of an issued certificate: {@code certificate}, {@code chain}, {@code serial}, … */
public final class CertificateJson {
    private CertificateJson() {
    }

    /** {@code issued} as {@code {"certificate","chain","serial","notAfter","subject","issuer"}}. */
    public static ObjectNode of(Issued issued) {
        X509Certificate c = issued.certificate();
        ObjectNode o = Json.object();
        o.put("certificate", base64(c));
        ArrayNode chain = o.putArray("chain");
        issued.chain().forEach(x -> chain.add(base64(x)));
        o.put("serial", serial(c));
        o.put("notAfter", c.getNotAfter().toInstant().toString());
        o.put("subject", c.getSubjectX500Principal().getName(X500Principal.RFC2253));
        o.put("issuer", c.getIssuerX500Principal().getName(X500Principal.RFC2253));
        return o;
    }

    /** The serial number as lower-case hex, the form used in records and results. */
    public static String serial(X509Certificate c) {
        return c.getSerialNumber().toString(16);
    }

    private static String base64(X509Certificate c) {
        try {
            return Base64.getEncoder().encodeToString(c.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("cannot encode a certificate: " + e.getMessage(), e);
        }
    }
}
