package com.cloudextender.modules.scep.enrol;

import com.cloudextender.modules.scep.csr.SubjectAltName;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/**
 * Checks a certificate the CA returned before it is handed to anyone: it is for the requested key,
 * carries exactly the requested subject and alternative names, and is signed by the CA certificate
 * the extender authenticated (pinned, or served over verified HTTPS). A CA template that rewrites
 * names, or an answer signed by someone else, is refused rather than returned. Thread-safe.
 */
public final class IssuedCertificateCheck {
    private IssuedCertificateCheck() {
    }

    /**
     * Checks {@code issued} against {@code csr}, signed by one of {@code caCertificates} (and, when
     * {@code pin} is present, by the certificate with that SHA-256 fingerprint).
     *
     * @return the CA certificate that signed it
     * @throws IssuedCertificateRejected naming what differs
     */
    public static X509Certificate check(X509Certificate issued, PKCS10CertificationRequest csr,
                                        List<X509Certificate> caCertificates, Optional<byte[]> pin)
            throws IssuedCertificateRejected {
        byte[] requestedKey;
        try {
            requestedKey = csr.getSubjectPublicKeyInfo().getEncoded();
        } catch (java.io.IOException e) {
            throw new IssuedCertificateRejected(IssuedCertificateRejected.Reason.KEY,
                    "the request's public key cannot be read: " + e.getMessage());
        }
        if (!Arrays.equals(requestedKey, issued.getPublicKey().getEncoded())) {
            throw new IssuedCertificateRejected(IssuedCertificateRejected.Reason.KEY,
                    "the certificate is for another public key than the request's");
        }
        X500Principal requested;
        try {
            requested = new X500Principal(csr.getSubject().getEncoded());
        } catch (java.io.IOException e) {
            throw new IssuedCertificateRejected(IssuedCertificateRejected.Reason.SUBJECT,
                    "the request's subject cannot be read: " + e.getMessage());
        }
        if (!requested.equals(issued.getSubjectX500Principal())) {
            throw new IssuedCertificateRejected(IssuedCertificateRejected.Reason.SUBJECT, "the certificate's subject '"
                    + issued.getSubjectX500Principal().getName(X500Principal.RFC2253) + "' is not the requested '"
                    + requested.getName(X500Principal.RFC2253) + "'");
        }
        Set<String> asked = describe(requestedNames(csr));
        Set<String> got = describe(issuedNames(issued));
        if (!asked.equals(got)) {
            Set<String> extra = new HashSet<>(got);
            extra.removeAll(asked);
            Set<String> missing = new HashSet<>(asked);
            missing.removeAll(got);
            throw new IssuedCertificateRejected(IssuedCertificateRejected.Reason.NAMES,
                    "the certificate's alternative names differ from the request's (added: " + sorted(extra)
                            + ", left out: " + sorted(missing) + ")");
        }
        return signer(issued, caCertificates, pin);
    }

    private static X509Certificate signer(X509Certificate issued, List<X509Certificate> cas, Optional<byte[]> pin)
            throws IssuedCertificateRejected {
        for (X509Certificate ca : cas) {
            if (ca.getBasicConstraints() < 0 || !ca.getSubjectX500Principal().equals(issued.getIssuerX500Principal())) {
                continue;
            }
            if (pin.isPresent() && !Arrays.equals(pin.get(), CaPinning.sha256(ca))) {
                continue;
            }
            if (verifies(issued, ca.getPublicKey())) {
                return ca;
            }
        }
        throw new IssuedCertificateRejected(IssuedCertificateRejected.Reason.SIGNER, "the certificate (issuer '"
                + issued.getIssuerX500Principal().getName(X500Principal.RFC2253) + "') is not signed by the "
                + (pin.isPresent() ? "pinned CA certificate" : "CA certificate served by GetCACert"));
    }

    private static boolean verifies(X509Certificate cert, PublicKey key) {
        try {
            cert.verify(key);
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static List<GeneralName> requestedNames(PKCS10CertificationRequest csr) {
        List<GeneralName> names = new ArrayList<>();
        for (Attribute a : csr.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)) {
            for (var value : a.getAttrValues()) {
                GeneralNames gn = GeneralNames.fromExtensions(Extensions.getInstance(value),
                        Extension.subjectAlternativeName);
                if (gn != null) {
                    names.addAll(List.of(gn.getNames()));
                }
            }
        }
        return names;
    }

    private static List<GeneralName> issuedNames(X509Certificate cert) throws IssuedCertificateRejected {
        try {
            Extensions ext = new JcaX509CertificateHolder(cert).getExtensions();
            GeneralNames gn = ext == null ? null : GeneralNames.fromExtensions(ext, Extension.subjectAlternativeName);
            return gn == null ? List.of() : List.of(gn.getNames());
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IssuedCertificateRejected(IssuedCertificateRejected.Reason.NAMES,
                    "the certificate's alternative names cannot be read: " + e.getMessage());
        }
    }

    /** Names as {@code type:value}; a type the module does not support is described by its tag. */
    private static Set<String> describe(List<GeneralName> names) {
        Set<String> out = new HashSet<>();
        for (GeneralName n : names) {
            out.add(SubjectAltName.from(n).map(SubjectAltName::toString).orElseGet(() -> n.toString()));
        }
        return out;
    }

    private static List<String> sorted(Set<String> names) {
        return names.stream().sorted().toList();
    }
}
