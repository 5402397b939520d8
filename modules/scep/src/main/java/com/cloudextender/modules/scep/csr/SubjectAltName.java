package com.cloudextender.modules.scep.csr;

import com.cloudextender.modules.scep.config.SanType;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x509.GeneralName;

/**
 * One subject alternative name of a supported type, written {@code type:value} in arguments (for
 * example {@code dNSName:host.corp.example} or {@code upn:alice@corp.example}).
 *
 * @param type  the name's type
 * @param value the name
 */
public record SubjectAltName(SanType type, String value) {
    /** The OID of a Microsoft user principal name in an otherName. */
    public static final ASN1ObjectIdentifier UPN_OID = new ASN1ObjectIdentifier("1.3.6.1.4.1.311.20.2.3");

    /** Parses {@code type:value}; the message names what is wrong. */
    public static SubjectAltName parse(String text) {
        int colon = text.indexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("'" + text + "' is not type:value; write for example"
                    + " dNSName:host.corp.example (types: " + SanType.allNames() + ")");
        }
        SanType type = SanType.named(text.substring(0, colon)).orElseThrow(() -> new IllegalArgumentException(
                "'" + text.substring(0, colon) + "' is not a supported name type; use " + SanType.allNames()));
        return new SubjectAltName(type, text.substring(colon + 1).trim());
    }

    /** The name as an X.509 GeneralName. */
    public GeneralName toGeneralName() {
        return switch (type) {
            case RFC822_NAME -> new GeneralName(GeneralName.rfc822Name, value);
            case DNS_NAME -> new GeneralName(GeneralName.dNSName, value);
            case URI -> new GeneralName(GeneralName.uniformResourceIdentifier, value);
            case UPN -> new GeneralName(GeneralName.otherName,
                    new DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {
                            UPN_OID, new DERTaggedObject(true, 0, new DERUTF8String(value))}));
        };
    }

    /** {@code name} as a supported alternative name, or empty with its type's description for a message. */
    public static Optional<SubjectAltName> from(GeneralName name) {
        return switch (name.getTagNo()) {
            case GeneralName.rfc822Name -> Optional.of(new SubjectAltName(SanType.RFC822_NAME, text(name)));
            case GeneralName.dNSName -> Optional.of(new SubjectAltName(SanType.DNS_NAME, text(name)));
            case GeneralName.uniformResourceIdentifier -> Optional.of(new SubjectAltName(SanType.URI, text(name)));
            case GeneralName.otherName -> upn(name);
            default -> Optional.empty();
        };
    }

    /** A short description of an unsupported name's type, for messages. */
    public static String describe(GeneralName name) {
        return switch (name.getTagNo()) {
            case GeneralName.otherName -> "otherName " + ASN1Sequence.getInstance(name.getName()).getObjectAt(0);
            case GeneralName.x400Address -> "x400Address";
            case GeneralName.directoryName -> "directoryName";
            case GeneralName.ediPartyName -> "ediPartyName";
            case GeneralName.iPAddress -> "iPAddress";
            case GeneralName.registeredID -> "registeredID";
            default -> "type " + name.getTagNo();
        };
    }

    private static String text(GeneralName name) {
        return ((ASN1String) name.getName()).getString();
    }

    private static Optional<SubjectAltName> upn(GeneralName name) {
        ASN1Sequence seq = ASN1Sequence.getInstance(name.getName());
        if (!UPN_OID.equals(seq.getObjectAt(0))) {
            return Optional.empty();
        }
        ASN1TaggedObject tagged = ASN1TaggedObject.getInstance(seq.getObjectAt(1));
        return Optional.of(new SubjectAltName(SanType.UPN, ((ASN1String) tagged.getExplicitBaseObject()).getString()));
    }

    @Override
    public String toString() {
        return type.configName() + ":" + value;
    }
}
