package com.cloudextender.modules.scep.csr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;

import com.cloudextender.api.CommandException;
import com.cloudextender.api.ErrorCode;
import com.cloudextender.api.ModuleConfig;
import com.cloudextender.modules.scep.config.ProfileSettings;
import com.cloudextender.modules.support.Arguments;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Certification requests a device could send. Reading one ({@link CsrCodec}) and checking it against a
 * profile ({@link CsrPolicy}) give a result or an {@link IllegalArgumentException} with a message, nothing
 * else; a request that passes names no alternative name but the command's own, and its subject matches the
 * profile's pattern. Requests are signed with a real key, so the fuzzer gets past the signature check to the
 * attributes, extensions and names.
 */
class CsrFuzzTest {
    private static KeyPair keys;
    private static ProfileSettings profile;

    @BeforeAll
    static void setUp() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        keys = g.generateKeyPair();
        Map<String, String> c = new HashMap<>();
        c.put("profiles", "wifi");
        c.put("profile.wifi.url", "http://ndes.corp.example/scep");
        c.put("profile.wifi.caFingerprint", "AB".repeat(32));
        c.put("profile.wifi.allowedSanTypes", "rfc822Name,dNSName,upn,uri");
        c.put("profile.wifi.allowedExtensions", "keyUsage,extendedKeyUsage");
        profile = ProfileSettings.read(new ModuleConfig(c, Set.of()), "wifi");
    }

    /** The csr argument as text: PEM, base64 DER or anything else. */
    @FuzzTest
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void csrTextParsesOrIsRefused(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();
        PKCS10CertificationRequest csr;
        try {
            csr = CsrCodec.parse(text);
        } catch (IllegalArgumentException e) {
            assertNotNull(e.getMessage());
            return;
        }
        check(csr, named("alice", "laptop-7"));
    }

    /** A signed request with chosen subject, attributes, extensions and alternative names. */
    @FuzzTest
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void signedRequestsAreCheckedOrRefused(FuzzedDataProvider data) throws Exception {
        X500Principal subject;
        try {
            subject = new X500Principal(data.consumeString(80));
        } catch (IllegalArgumentException e) {
            subject = new X500Principal("CN=alice");
        }
        var builder = new JcaPKCS10CertificationRequestBuilder(subject, keys.getPublic());
        List<ASN1Encodable> extensions = new ArrayList<>();
        int n = data.consumeInt(0, 4);
        for (int i = 0; i < n; i++) {
            ASN1ObjectIdentifier oid = switch (data.consumeInt(0, 4)) {
                case 0 -> Extension.subjectAlternativeName;
                case 1 -> Extension.keyUsage;
                case 2 -> Extension.extendedKeyUsage;
                case 3 -> Extension.basicConstraints;
                default -> new ASN1ObjectIdentifier("1.2.3." + data.consumeInt(0, 1000));
            };
            byte[] value = oid.equals(Extension.subjectAlternativeName) && data.consumeBoolean()
                    ? names(data).getEncoded() : data.consumeBytes(60);
            extensions.add(new Extension(oid, data.consumeBoolean(), new DEROctetString(value)));
        }
        if (!extensions.isEmpty() || data.consumeBoolean()) {
            builder.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest,
                    data.consumeBoolean() ? new DERSequence(extensions.toArray(ASN1Encodable[]::new)) : asn1(data));
        }
        if (data.consumeBoolean()) {
            builder.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_challengePassword, new DERUTF8String(data.consumeString(20)));
        }
        if (data.consumeBoolean()) {
            builder.addAttribute(new ASN1ObjectIdentifier("1.3.6.1.4.1.311.13.2." + data.consumeInt(1, 3)), asn1(data));
        }
        PKCS10CertificationRequest csr = builder.build(new JcaContentSignerBuilder("SHA256withECDSA")
                .build(keys.getPrivate()));
        NamedIdentity named = named(data.consumeBoolean() ? "alice" : data.consumeString(10),
                data.consumeBoolean() ? null : "laptop-7");
        check(new PKCS10CertificationRequest(csr.getEncoded()), named);
    }

    /** The names a command gives, through the same reader the actions use. */
    @FuzzTest
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void namedIdentityFromArguments(FuzzedDataProvider data) {
        try {
            NamedIdentity n = NamedIdentity.of(Arguments.parse(data.consumeRemainingAsString()));
            for (Optional<String> v : List.of(n.user(), n.userEmail(), n.userUpn(), n.device(), n.deviceDnsName(),
                    n.deviceUri())) {
                v.ifPresent(s -> assertTrue(!s.isEmpty() && s.equals(s.trim())
                        && s.chars().noneMatch(Character::isISOControl), "name " + s));
            }
        } catch (CommandException e) {
            assertEquals(ErrorCode.INVALID_ARGUMENTS, e.code());
        }
    }

    private static GeneralNames names(FuzzedDataProvider data) {
        int n = data.consumeInt(1, 3);
        GeneralName[] names = new GeneralName[n];
        for (int i = 0; i < n; i++) {
            String v = data.consumeBoolean() ? "alice@example.com" : data.consumeAsciiString(30);
            names[i] = switch (data.consumeInt(0, 4)) {
                case 0 -> new GeneralName(GeneralName.rfc822Name, v);
                case 1 -> new GeneralName(GeneralName.dNSName, v);
                case 2 -> new GeneralName(GeneralName.uniformResourceIdentifier, v);
                case 3 -> new GeneralName(GeneralName.otherName, new DERSequence(new ASN1Encodable[] {
                    new ASN1ObjectIdentifier("1.3.6.1.4.1.311.20.2.3"),
                    new org.bouncycastle.asn1.DERTaggedObject(true, 0, new DERUTF8String(v))}));
                default -> new GeneralName(GeneralName.registeredID, new ASN1ObjectIdentifier("1.2." + new BigInteger(
                        1, data.consumeBytes(4)).toString()));
            };
        }
        return new GeneralNames(names);
    }

    private static ASN1Encodable asn1(FuzzedDataProvider data) {
        byte[] b = data.consumeBytes(80);
        try {
            ASN1Primitive p = ASN1Primitive.fromByteArray(b);
            return p == null ? new DEROctetString(b) : p; // null for no bytes at all
        } catch (Exception e) {
            return new DEROctetString(b);
        }
    }

    private static NamedIdentity named(String user, String device) {
        return new NamedIdentity(Optional.ofNullable(user), Optional.of("alice@example.com"),
                Optional.of("alice@corp.example"), Optional.ofNullable(device), Optional.of("laptop-7.corp.example"),
                Optional.empty());
    }

    private static void check(PKCS10CertificationRequest csr, NamedIdentity named) {
        CsrPolicy.Checked c;
        try {
            c = CsrPolicy.check(csr, profile, named);
        } catch (IllegalArgumentException e) {
            assertNotNull(e.getMessage());
            return;
        }
        assertTrue(profile.subjectPattern().bind(named.placeholders()).matcher(c.subject()).matches());
        for (SubjectAltName san : c.sans()) {
            assertEquals(named.boundValue(san.type()).orElseThrow().toLowerCase(Locale.ROOT),
                    san.value().toLowerCase(Locale.ROOT), "accepted " + san);
        }
    }
}
