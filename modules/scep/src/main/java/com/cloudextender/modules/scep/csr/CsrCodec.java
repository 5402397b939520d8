package com.cloudextender.modules.scep.csr;

import java.io.IOException;
import java.util.Base64;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/** Reads a PKCS#10 request sent as PEM or as base64 of its DER encoding. */
public final class CsrCodec {
    private CsrCodec() {
    }

    /** Parses {@code text}; the message of a failure says which form was expected. */
    public static PKCS10CertificationRequest parse(String text) {
        String body = text.trim();
        if (body.startsWith("-----BEGIN")) {
            int start = body.indexOf('\n');
            int end = body.indexOf("-----END");
            if (start < 0 || end < start) {
                throw new IllegalArgumentException("not a complete PEM block; send -----BEGIN CERTIFICATE REQUEST-----"
                        + " … -----END CERTIFICATE REQUEST----- or base64 DER");
            }
            body = body.substring(start, end);
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not base64; send the PKCS#10 request as PEM or base64 DER");
        }
        try {
            PKCS10CertificationRequest csr = new PKCS10CertificationRequest(der);
            csr.getSubject(); // forces the structure to be read
            return csr;
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a PKCS#10 certification request (" + e.getMessage() + ")");
        }
    }
}
