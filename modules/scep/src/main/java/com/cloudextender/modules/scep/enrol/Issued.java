package com.cloudextender.modules.scep.enrol;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A certificate the CA issued, with the other certificates of its answer (the issuing chain).
 *
 * @param certificate the issued certificate
 * @param chain       the CA (and RA) certificates that came with it, possibly empty
 */
public record Issued(X509Certificate certificate, List<X509Certificate> chain) {
    public Issued {
        chain = List.copyOf(chain);
    }
}
