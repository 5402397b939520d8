package com.cloudextender.modules.scep.csr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudextender.api.ModuleConfig;
import com.cloudextender.modules.scep.config.ProfileSettings;
import com.cloudextender.modules.scep.keys.CsrBuilder;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The request policy's defaults and the binding of names to the command, without a CA. */
class CsrPolicyTest {
    private static KeyPair keys;

    @BeforeAll
    static void keys() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        keys = g.generateKeyPair();
    }

    private static ProfileSettings profile(String... keyValues) {
        Map<String, String> c = new HashMap<>();
        c.put("profiles", "wifi");
        c.put("profile.wifi.url", "http://ndes.corp.example/scep");
        c.put("profile.wifi.caFingerprint", "AB".repeat(32));
        for (int i = 0; i < keyValues.length; i += 2) {
            c.put("profile.wifi." + keyValues[i], keyValues[i + 1]);
        }
        return ProfileSettings.read(new ModuleConfig(c, Set.of()), "wifi");
    }

    private static NamedIdentity named(String user, String device) {
        return new NamedIdentity(Optional.ofNullable(user), Optional.of("alice@example.com"),
                Optional.of("alice@corp.example"), Optional.ofNullable(device), Optional.of("laptop-7.corp.example"),
                Optional.empty());
    }

    private static PKCS10CertificationRequest csr(String subject, String... sans) throws Exception {
        return CsrBuilder.build(keys, "SHA256withECDSA", new X500Principal(subject),
                Arrays.stream(sans).map(SubjectAltName::parse).toList(), Optional.empty());
    }

    private static PKCS10CertificationRequest csrWith(Extension extension) throws Exception {
        ExtensionsGenerator ext = new ExtensionsGenerator();
        ext.addExtension(extension);
        return new JcaPKCS10CertificationRequestBuilder(new X500Principal("CN=alice"), keys.getPublic())
                .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, ext.generate())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
    }

    private static String refused(PKCS10CertificationRequest csr, ProfileSettings p, NamedIdentity n) {
        return assertThrows(IllegalArgumentException.class, () -> CsrPolicy.check(csr, p, n)).getMessage();
    }

    @Test
    void byDefaultTheSubjectNamesOnlyTheCommandsUserOrDevice() throws Exception {
        ProfileSettings p = profile();
        assertEquals("CN=laptop-7,OU=Devices,O=Example",
                CsrPolicy.check(csr("CN=laptop-7,OU=Devices,O=Example"), p, named("alice", "laptop-7")).subject());
        assertEquals("CN=alice", CsrPolicy.check(csr("CN=alice"), p, named("alice", null)).subject());
        String e = refused(csr("CN=administrator,O=Example"), p, named("alice", "laptop-7"));
        assertTrue(e.contains("does not match profile wifi's subjectPattern"), e);
        assertTrue(e.contains("user 'alice' and device 'laptop-7'"), e);
        refused(csr("CN=alice,CN=administrator"), p, named("alice", null));
        refused(csr("CN=alice+UID=administrator"), p, named("alice", null));
        refused(csr("CN=alice.x"), p, named("alice", null));
        assertTrue(refused(csr("CN=alice"), p, named(null, null)).contains("no user or device named"));
    }

    @Test
    void anEmailNameMustBeTheCommandsUserEmail() throws Exception {
        ProfileSettings p = profile();
        assertEquals(1, CsrPolicy.check(csr("CN=alice", "rfc822Name:Alice@Example.com"), p, named("alice", null))
                .sans().size());
        String e = refused(csr("CN=alice", "rfc822Name:bob@example.com"), p, named("alice", null));
        assertTrue(e.contains("rfc822Name:bob@example.com is not the command's userEmail 'alice@example.com'"), e);
        NamedIdentity noEmail = new NamedIdentity(Optional.of("alice"), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty());
        e = refused(csr("CN=alice", "rfc822Name:alice@example.com"), p, noEmail);
        assertTrue(e.contains("is not named by the command; send userEmail"), e);
    }

    @Test
    void aUpnNeedsExplicitPermissionAndMustBeTheCommandsUserUpn() throws Exception {
        String e = refused(csr("CN=alice", "upn:alice@corp.example"), profile(), named("alice", null));
        assertTrue(e.contains("upn:alice@corp.example is of a type profile wifi does not allow; allowed: rfc822Name"), e);
        ProfileSettings upn = profile("allowedSanTypes", "rfc822Name,upn");
        assertEquals(1, CsrPolicy.check(csr("CN=alice", "upn:alice@corp.example"), upn, named("alice", null))
                .sans().size());
        e = refused(csr("CN=alice", "upn:administrator@corp.example"), upn, named("alice", null));
        assertTrue(e.contains("upn:administrator@corp.example is not the command's userUpn"), e);
    }

    @Test
    void aDnsNameNeedsExplicitPermissionAndMustBeTheCommandsDevice() throws Exception {
        refused(csr("CN=laptop-7", "dNSName:laptop-7.corp.example"), profile(), named(null, "laptop-7"));
        ProfileSettings dns = profile("allowedSanTypes", "dNSName");
        CsrPolicy.check(csr("CN=laptop-7", "dNSName:laptop-7.corp.example"), dns, named(null, "laptop-7"));
        String e = refused(csr("CN=laptop-7", "dNSName:dc1.corp.example"), dns, named(null, "laptop-7"));
        assertTrue(e.contains("is not the command's deviceDnsName"), e);
    }

    @Test
    void requestedExtensionsOtherThanNamesAreRefusedByOidUnlessAllowed() throws Exception {
        String e = refused(csrWith(new Extension(Extension.basicConstraints, true,
                new BasicConstraints(true).getEncoded())), profile(), named("alice", null));
        assertTrue(e.contains("the request asks for extension 2.5.29.19, which profile wifi does not allow"), e);
        Extension ku = new Extension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature).getEncoded());
        e = refused(csrWith(ku), profile(), named("alice", null));
        assertTrue(e.contains("extension 2.5.29.15 (keyUsage)"), e);
        ProfileSettings allowing = profile("allowedExtensions", "keyUsage,extendedKeyUsage");
        CsrPolicy.check(csrWith(ku), allowing, named("alice", null));
        e = refused(csrWith(new Extension(Extension.keyUsage, true,
                new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyCertSign).getEncoded())), allowing, named("alice", null));
        assertTrue(e.contains("keyCertSign"), e);
        CsrPolicy.check(csrWith(new Extension(Extension.extendedKeyUsage, false,
                new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth).getEncoded())), allowing, named("alice", null));
        e = refused(csrWith(new Extension(Extension.extendedKeyUsage, false,
                new ExtendedKeyUsage(KeyPurposeId.anyExtendedKeyUsage).getEncoded())), allowing, named("alice", null));
        assertTrue(e.contains("anyExtendedKeyUsage"), e);
        e = refused(csrWith(new Extension(new ASN1ObjectIdentifier("1.3.6.1.4.1.311.21.7"), false,
                new DERUTF8String("template").getEncoded())), allowing, named("alice", null));
        assertTrue(e.contains("extension 1.3.6.1.4.1.311.21.7"), e);
    }

    @Test
    void attributesOtherThanTheChallengeAndExtensionsAreRefused() throws Exception {
        // Microsoft's enrolment name-value pair: "SAN:upn=…" reaches a CA with EDITF_ATTRIBUTESUBJECTALTNAME2.
        PKCS10CertificationRequest csr = new JcaPKCS10CertificationRequestBuilder(new X500Principal("CN=alice"),
                keys.getPublic()).addAttribute(new ASN1ObjectIdentifier("1.3.6.1.4.1.311.13.2.1"),
                        new ASN1Encodable[] {new DERUTF8String("SAN:upn=administrator@corp.example")})
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
        String e = refused(csr, profile(), named("alice", null));
        assertTrue(e.contains("attribute 1.3.6.1.4.1.311.13.2.1, which is not allowed"), e);
    }

    @Test
    void badPolicySettingsNameTheirKey() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> profile("subjectPattern", "CN=${owner}"))
                .getMessage().startsWith("profile.wifi.subjectPattern: '${owner}' is not a known placeholder"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> profile("allowedExtensions", "basicConstraints"))
                .getMessage().startsWith("profile.wifi.allowedExtensions: 'basicConstraints' is not an extension"));
        assertEquals(List.of("rfc822Name"), profile().allowedSanTypes().stream().map(t -> t.configName()).toList());
        assertTrue(profile().allowedExtensions().isEmpty());
    }
}
