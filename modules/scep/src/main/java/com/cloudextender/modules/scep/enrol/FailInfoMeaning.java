package com.cloudextender.modules.scep.enrol;

import org.jscep.transaction.FailInfo;

/** What a SCEP failInfo (RFC 8894, section 3.2.1.4.5) usually means, for the administrator. */
public final class FailInfoMeaning {
    private FailInfoMeaning() {
    }

    /** The failInfo's name followed by its usual cause and remedy. */
    public static String of(FailInfo info) {
        String meaning = switch (info) {
            case badAlg -> "the CA does not accept an algorithm of the request (key type or size, signature or"
                    + " encryption algorithm); check the template's key requirements against the profile's"
                    + " keyAlgorithm and keySize";
            case badMessageCheck -> "the CA could not verify the message's signature or decrypt it; usually the"
                    + " RA certificates changed (renewed NDES RA certificates) or a proxy altered the request";
            case badRequest -> "the CA refused the request; most often a wrong or expired challenge password,"
                    + " or a subject or template the CA does not permit (see the CA's log)";
            case badTime -> "the CA found the message's signing time too far from its own clock; check the clocks"
                    + " of the extender and the CA (NTP)";
            case badCertId -> "the CA could not find the certificate the request refers to (for a poll: the"
                    + " pending request was deleted or denied on the CA)";
        };
        return info.name() + ": " + meaning;
    }
}
