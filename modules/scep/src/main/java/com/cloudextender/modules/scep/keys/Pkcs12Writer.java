package com.cloudextender.modules.scep.keys;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.util.Arrays;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.pkcs.PKCS12SafeBag;
import java.security.Provider;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.pkcs.PKCS12PfxPdu;
import org.bouncycastle.pkcs.PKCS12PfxPduBuilder;
import org.bouncycastle.pkcs.PKCS12SafeBagBuilder;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS12SafeBagBuilder;
import org.bouncycastle.pkcs.jcajce.JcePKCS12MacCalculatorBuilder;
import org.bouncycastle.pkcs.jcajce.JcePKCSPBEOutputEncryptorBuilder;
import org.bouncycastle.asn1.DERBMPString;
import org.bouncycastle.operator.OperatorCreationException;

/**
 * Writes a key and its certificate chain as PKCS#12, in memory: key and certificates encrypted with
 * PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC) and the whole file protected by an HMAC-SHA256 MAC, never the
 * legacy RC2 or 3DES schemes. Readable by current JDKs, OpenSSL 1.1+ and current device platforms.
 */
public final class Pkcs12Writer {
    private static final int ITERATIONS = 100_000;
    /** Passed to the builders rather than installed, so that the host's JCA provider list is left alone. */
    private static final Provider BC = new BouncyCastleProvider();

    private Pkcs12Writer() {
    }

    /** The PKCS#12 bytes for {@code key}, its {@code certificate} and the issuing {@code chain}. */
    public static byte[] write(PrivateKey key, X509Certificate certificate, List<X509Certificate> chain,
                               char[] password) throws IOException {
        try {
            OutputEncryptor encryptor = new JcePKCSPBEOutputEncryptorBuilder(NISTObjectIdentifiers.id_aes256_CBC)
                    .setPRF(new AlgorithmIdentifier(PKCSObjectIdentifiers.id_hmacWithSHA256))
                    .setIterationCount(ITERATIONS).setProvider(BC).build(password);
            var keyId = new JcaX509ExtensionUtils()
                    .createSubjectKeyIdentifier(certificate.getPublicKey());
            PKCS12SafeBagBuilder certBag = new JcaPKCS12SafeBagBuilder(certificate);
            certBag.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_friendlyName, new DERBMPString("certificate"));
            certBag.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_localKeyId, keyId);
            PKCS12SafeBagBuilder keyBag = new JcaPKCS12SafeBagBuilder(key, encryptor);
            keyBag.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_friendlyName, new DERBMPString("certificate"));
            keyBag.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_localKeyId, keyId);

            PKCS12SafeBagBuilder[] certs = new PKCS12SafeBagBuilder[chain.size() + 1];
            certs[0] = certBag;
            for (int i = 0; i < chain.size(); i++) {
                certs[i + 1] = new PKCS12SafeBagBuilder(new JcaX509CertificateHolder(chain.get(i)));
            }
            PKCS12PfxPduBuilder pfx = new PKCS12PfxPduBuilder();
            pfx.addEncryptedData(encryptor, Arrays.stream(certs).map(PKCS12SafeBagBuilder::build)
                    .toArray(PKCS12SafeBag[]::new));
            pfx.addData(keyBag.build());
            PKCS12PfxPdu pdu = pfx.build(new JcePKCS12MacCalculatorBuilder(NISTObjectIdentifiers.id_sha256)
                    .setIterationCount(ITERATIONS).setProvider(BC), password);
            return pdu.getEncoded();
        } catch (OperatorCreationException | PKCSException | GeneralSecurityException e) {
            throw new IOException("cannot write the PKCS#12: " + e.getMessage(), e);
        }
    }
}
