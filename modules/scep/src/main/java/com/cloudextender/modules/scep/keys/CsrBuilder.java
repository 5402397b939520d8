package com.cloudextender.modules.scep.keys;

import com.cloudextender.modules.scep.csr.SubjectAltName;
import java.io.IOException;
import java.security.KeyPair;
import java.util.List;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** Builds the PKCS#10 request for a key the extender generated, with the SCEP challenge inside. */
public final class CsrBuilder {
    private CsrBuilder() {
    }

    /**
     * A request for {@code subject} and {@code sans}, signed with {@code keys} using {@code signatureAlgorithm},
     * carrying {@code challenge} as the challengePassword attribute when present (RFC 8894, section 3.3.1).
     */
    public static PKCS10CertificationRequest build(KeyPair keys, String signatureAlgorithm, X500Principal subject,
                                                   List<SubjectAltName> sans, Optional<String> challenge)
            throws IOException, OperatorCreationException {
        JcaPKCS10CertificationRequestBuilder b = new JcaPKCS10CertificationRequestBuilder(subject, keys.getPublic());
        if (!sans.isEmpty()) {
            ExtensionsGenerator ext = new ExtensionsGenerator();
            ext.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(sans.stream().map(SubjectAltName::toGeneralName).toArray(GeneralName[]::new)));
            b.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, ext.generate());
        }
        if (challenge.isPresent()) {
            b.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_challengePassword, new DERPrintableString(challenge.get()));
        }
        return b.build(new JcaContentSignerBuilder(signatureAlgorithm).build(keys.getPrivate()));
    }
}
