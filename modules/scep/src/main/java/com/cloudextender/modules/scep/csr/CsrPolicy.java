package com.cloudextender.modules.scep.csr;

import com.cloudextender.modules.scep.config.ProfileSettings;
import java.util.ArrayList;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * Checks a request against a profile before the CA is contacted: the signature is valid (the sender
 * holds the key), the subject DN matches the profile's pattern and every alternative name is of an
 * allowed type. Thread-safe.
 */
public final class CsrPolicy {
    private CsrPolicy() {
    }

    /**
     * What the request asks for, once checked.
     *
     * @param subject the subject DN in RFC 2253 form
     * @param sans    the alternative names
     */
    public record Checked(String subject, List<SubjectAltName> sans) {
    }

    /** Checks {@code csr} for {@code profile}; the message of a failure names the rule that was broken. */
    public static Checked check(PKCS10CertificationRequest csr, ProfileSettings profile) {
        try {
            if (!csr.isSignatureValid(new JcaContentVerifierProviderBuilder()
                    .build(new JcaPKCS10CertificationRequest(csr).getPublicKey()))) {
                throw new IllegalArgumentException("the request's signature does not verify with its own public key;"
                        + " the request was altered or signed with another key");
            }
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalArgumentException("the request's signature cannot be checked (" + e.getMessage()
                    + "); use an RSA or EC key with a SHA-2 signature");
        }
        String subject;
        try {
            subject = new X500Principal(csr.getSubject().getEncoded()).getName(X500Principal.RFC2253);
        } catch (Exception e) {
            throw new IllegalArgumentException("the subject DN cannot be read (" + e.getMessage() + ")");
        }
        if (!profile.subjectPattern().matcher(subject).matches()) {
            throw new IllegalArgumentException("the subject '" + subject + "' does not match profile "
                    + profile.name() + "'s subjectPattern " + profile.subjectPattern().pattern());
        }
        List<SubjectAltName> sans = new ArrayList<>();
        for (GeneralName n : requestedNames(csr)) {
            SubjectAltName san = SubjectAltName.from(n).orElseThrow(() -> new IllegalArgumentException(
                    "the alternative name of type " + SubjectAltName.describe(n) + " is not supported; profile "
                            + profile.name() + " allows " + allowed(profile)));
            if (!profile.allowedSanTypes().contains(san.type())) {
                throw new IllegalArgumentException("the alternative name " + san + " is of a type profile "
                        + profile.name() + " does not allow; allowed: " + allowed(profile));
            }
            sans.add(san);
        }
        return new Checked(subject, List.copyOf(sans));
    }

    /** True when {@code csr} carries a challengePassword attribute. */
    public static boolean hasChallenge(PKCS10CertificationRequest csr) {
        return csr.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_challengePassword).length > 0;
    }

    private static List<GeneralName> requestedNames(PKCS10CertificationRequest csr) {
        List<GeneralName> names = new ArrayList<>();
        for (Attribute a : csr.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)) {
            for (var value : a.getAttrValues()) {
                Extensions ext = Extensions.getInstance(value);
                GeneralNames gn = GeneralNames.fromExtensions(ext, Extension.subjectAlternativeName);
                if (gn != null) {
                    names.addAll(List.of(gn.getNames()));
                }
            }
        }
        return names;
    }

    private static String allowed(ProfileSettings profile) {
        return profile.allowedSanTypes().isEmpty() ? "none"
                : String.join(", ", profile.allowedSanTypes().stream().map(t -> t.configName()).sorted().toList());
    }
}
