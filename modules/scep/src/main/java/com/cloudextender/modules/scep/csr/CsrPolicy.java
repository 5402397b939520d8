package com.cloudextender.modules.scep.csr;

import com.cloudextender.modules.scep.config.ExtensionType;
import com.cloudextender.modules.scep.config.ProfileSettings;
import com.cloudextender.modules.scep.config.SanType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * Checks a request against a profile and the names the command gives, before the CA is contacted: the
 * signature is valid (the sender holds the key); the request carries no attribute but the challenge and
 * its extension request, and no requested extension but alternative names and those the profile allows;
 * the subject DN matches the profile's pattern bound to the command's user or device; and every
 * alternative name is of an allowed type and equal to the command's name of that type (e-mail to
 * {@code userEmail}, UPN to {@code userUpn}, DNS to {@code deviceDnsName}, URI to {@code deviceUri}).
 * Thread-safe.
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

    /**
     * Checks {@code csr} for {@code profile} and the command's {@code named} user and device; the message of a
     * failure names the rule that was broken.
     */
    public static Checked check(PKCS10CertificationRequest csr, ProfileSettings profile, NamedIdentity named) {
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
        checkAttributes(csr);
        List<Extension> requested = requestedExtensions(csr);
        checkExtensions(requested, profile);
        String subject;
        try {
            subject = new X500Principal(csr.getSubject().getEncoded()).getName(X500Principal.RFC2253);
        } catch (Exception e) {
            throw new IllegalArgumentException("the subject DN cannot be read (" + e.getMessage() + ")");
        }
        if (!profile.subjectPattern().bind(named.placeholders()).matcher(subject).matches()) {
            throw new IllegalArgumentException("the subject '" + subject + "' does not match profile "
                    + profile.name() + "'s subjectPattern " + profile.subjectPattern() + " for the command's "
                    + describe(named));
        }
        List<SubjectAltName> sans = new ArrayList<>();
        for (GeneralName n : names(requested)) {
            SubjectAltName san = SubjectAltName.from(n).orElseThrow(() -> new IllegalArgumentException(
                    "the alternative name of type " + SubjectAltName.describe(n) + " is not supported; profile "
                            + profile.name() + " allows " + allowed(profile)));
            if (!profile.allowedSanTypes().contains(san.type())) {
                throw new IllegalArgumentException("the alternative name " + san + " is of a type profile "
                        + profile.name() + " does not allow; allowed: " + allowed(profile));
            }
            String argument = NamedIdentity.argumentFor(san.type());
            Optional<String> bound = named.boundValue(san.type());
            if (bound.isEmpty()) {
                throw new IllegalArgumentException("the alternative name " + san + " is not named by the command;"
                        + " send " + argument + " with the value the certificate may carry");
            }
            if (!bound.get().toLowerCase(Locale.ROOT).equals(san.value().toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("the alternative name " + san + " is not the command's "
                        + argument + " '" + bound.get() + "'");
            }
            sans.add(san);
        }
        return new Checked(subject, List.copyOf(sans));
    }

    /** True when {@code csr} carries a challengePassword attribute. */
    public static boolean hasChallenge(PKCS10CertificationRequest csr) {
        return csr.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_challengePassword).length > 0;
    }

    /**
     * Only the challenge and the extension request: other attributes (Microsoft's enrolment name-value pairs,
     * which can carry {@code SAN:upn=…} to a CA with EDITF_ATTRIBUTESUBJECTALTNAME2, or a template name)
     * would ask the CA for what this policy does not see.
     */
    private static void checkAttributes(PKCS10CertificationRequest csr) {
        for (Attribute a : csr.getAttributes()) {
            ASN1ObjectIdentifier type = a.getAttrType();
            if (!type.equals(PKCSObjectIdentifiers.pkcs_9_at_challengePassword)
                    && !type.equals(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)) {
                throw new IllegalArgumentException("the request carries attribute " + type.getId()
                        + ", which is not allowed; only challengePassword and extensionRequest are");
            }
        }
    }

    private static List<Extension> requestedExtensions(PKCS10CertificationRequest csr) {
        List<Extension> out = new ArrayList<>();
        for (Attribute a : csr.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)) {
            for (var value : a.getAttrValues()) {
                Extensions ext = Extensions.getInstance(value);
                for (ASN1ObjectIdentifier oid : ext.getExtensionOIDs()) {
                    out.add(ext.getExtension(oid));
                }
            }
        }
        return out;
    }

    private static void checkExtensions(List<Extension> requested, ProfileSettings profile) {
        for (Extension e : requested) {
            ASN1ObjectIdentifier oid = e.getExtnId();
            if (oid.equals(Extension.subjectAlternativeName)) {
                continue;
            }
            Optional<ExtensionType> type = ExtensionType.ofOid(oid.getId());
            if (type.isEmpty() || !profile.allowedExtensions().contains(type.get())) {
                throw new IllegalArgumentException("the request asks for extension " + oid.getId()
                        + (type.map(t -> " (" + t.configName() + ")").orElse("")) + ", which profile "
                        + profile.name() + " does not allow; allowed: subjectAltName"
                        + profile.allowedExtensions().stream().map(t -> ", " + t.configName()).sorted()
                                .reduce("", String::concat));
            }
            if (type.get() == ExtensionType.KEY_USAGE) {
                KeyUsage ku = KeyUsage.getInstance(e.getParsedValue());
                if (ku.hasUsages(KeyUsage.keyCertSign) || ku.hasUsages(KeyUsage.cRLSign)) {
                    throw new IllegalArgumentException("the request asks for key usage keyCertSign or cRLSign"
                            + " (extension " + oid.getId() + "): an end-entity certificate never signs certificates");
                }
            }
            if (type.get() == ExtensionType.EXTENDED_KEY_USAGE
                    && ExtendedKeyUsage.getInstance(e.getParsedValue()).hasKeyPurposeId(KeyPurposeId.anyExtendedKeyUsage)) {
                throw new IllegalArgumentException("the request asks for anyExtendedKeyUsage (extension "
                        + oid.getId() + "); request the purposes the certificate is for");
            }
        }
    }

    private static List<GeneralName> names(List<Extension> requested) {
        List<GeneralName> names = new ArrayList<>();
        for (Extension e : requested) {
            if (e.getExtnId().equals(Extension.subjectAlternativeName)) {
                names.addAll(List.of(GeneralNames.getInstance(e.getParsedValue()).getNames()));
            }
        }
        return names;
    }

    private static String describe(NamedIdentity named) {
        List<String> parts = new ArrayList<>();
        named.user().ifPresent(u -> parts.add("user '" + u + "'"));
        named.device().ifPresent(d -> parts.add("device '" + d + "'"));
        return parts.isEmpty() ? "(no user or device named: send user or device)" : String.join(" and ", parts);
    }

    private static String allowed(ProfileSettings profile) {
        return profile.allowedSanTypes().isEmpty() ? "none"
                : String.join(", ", profile.allowedSanTypes().stream().map(SanType::configName).sorted().toList());
    }
}
