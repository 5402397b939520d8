package com.cloudextender.modules.scep.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Base64;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.BEROctetString;
import org.bouncycastle.asn1.BERSequence;
import org.junit.jupiter.api.Test;

class HttpClientTransportFactoryTest {
    @Test
    void aChunkedBerOctetStringIsSentAsOneDerOctetStringWithTheSameContent() throws Exception {
        byte[] content = new byte[2500];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) i;
        }
        byte[] ber = new BERSequence(new BEROctetString(content)).getEncoded(ASN1Encoding.BER);
        assertEquals(0x80, ber[1] & 0xff, "the input uses the indefinite length form");

        byte[] der = HttpClientTransportFactory.der(Base64.getEncoder().encodeToString(ber));
        assertNotEquals(ber.length, der.length);
        assertEquals(0x04, der[4], "one primitive OCTET STRING after the SEQUENCE header");
        ASN1Primitive parsed = ASN1Primitive.fromByteArray(der);
        byte[] inner = ASN1OctetString.getInstance(((org.bouncycastle.asn1.ASN1Sequence) parsed).getObjectAt(0))
                .getOctets();
        assertArrayEquals(content, inner);
    }
}
