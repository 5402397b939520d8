package com.cloudextender.modules.scep.config;

/**
 * The key pairs the extender generates for a profile.
 *
 * @param algorithm {@code RSA} or {@code EC}
 * @param rsaBits   the RSA modulus size, used when the algorithm is RSA
 * @param curve     the named curve, used when the algorithm is EC (for example {@code secp256r1})
 */
public record KeySpec(String algorithm, int rsaBits, String curve) {
    /** True for RSA keys. */
    public boolean isRsa() {
        return "RSA".equals(algorithm);
    }

    /** The signature algorithm used for a CSR signed with such a key. */
    public String csrSignatureAlgorithm() {
        return isRsa() ? "SHA256withRSA" : "SHA256withECDSA";
    }

    @Override
    public String toString() {
        return isRsa() ? "RSA " + rsaBits : "EC " + curve;
    }
}
