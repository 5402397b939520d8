package com.cloudextender.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class HeapAfterGcTest {
    @Test
    void theSerialCollectorsGenerationsAreAddedAndMetaspaceIsNot() {
        String info = """
                21048:
                 def new generation   total 78656K, used 1200K [0x00000000f0000000, 0x00000000f5550000, 0x00000000f5550000)
                  eden space 69952K,   0% used [0x00000000f0000000, 0x00000000f0000000, 0x00000000f4450000)
                 tenured generation   total 174784K, used 22410K [0x00000000f5550000, 0x0000000100000000, 0x0000000100000000)
                   the space 174784K,  12% used [0x00000000f5550000, 0x00000000f5780720, 0x00000000f5780800, 0x0000000100000000)
                 Metaspace       used 8902K, committed 9088K, reserved 1114112K
                  class space    used 1062K, committed 1152K, reserved 1048576K
                """;
        assertEquals(1200 + 22410, HeapAfterGc.parseUsedKiB(info));
    }

    @Test
    void g1sHeapLineIsRead() {
        assertEquals(5120, HeapAfterGc.parseUsedKiB(
                " garbage-first heap   total 262144K, used 5120K [0x00000000f0000000, 0x0000000100000000)\n"));
    }

    @Test
    void anOutputWithoutHeapIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> HeapAfterGc.parseUsedKiB("21048:\nCommand executed successfully\n"));
    }
}
