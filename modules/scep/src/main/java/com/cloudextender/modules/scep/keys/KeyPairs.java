package com.cloudextender.modules.scep.keys;

import com.cloudextender.modules.scep.config.KeySpec;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;

/** Generates key pairs in memory with the JDK's providers; nothing is written anywhere. */
public final class KeyPairs {
    private KeyPairs() {
    }

    /** A new key pair as {@code spec} says. */
    public static KeyPair generate(KeySpec spec) throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance(spec.algorithm());
        if (spec.isRsa()) {
            g.initialize(spec.rsaBits());
        } else {
            g.initialize(new ECGenParameterSpec(spec.curve()));
        }
        return g.generateKeyPair();
    }
}
