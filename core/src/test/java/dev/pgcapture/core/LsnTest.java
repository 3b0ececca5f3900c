package dev.pgcapture.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class LsnTest {

    @Test
    void parse_postgresForm_roundTrips() {
        Lsn lsn = Lsn.parse("16/B374D848");
        assertEquals(0x16_B374D848L, lsn.value());
        assertEquals("16/B374D848", lsn.toString());
    }

    @Test
    void parse_lowerCaseAndShortGroups_printsUpperCaseUnpadded() {
        assertEquals("0/1A", Lsn.parse("0/1a").toString());
        assertEquals("0/0", Lsn.parse("00000000/00000000").toString());
        assertEquals(Lsn.ZERO, Lsn.parse("0/0"));
    }

    @Test
    void parse_maximum_isUnsigned() {
        Lsn max = Lsn.parse("FFFFFFFF/FFFFFFFF");
        assertEquals(-1L, max.value());
        assertEquals("FFFFFFFF/FFFFFFFF", max.toString());
        assertTrue(max.isAfter(Lsn.parse("7FFFFFFF/FFFFFFFF")), "values with the top bit set sort last");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/", "0/", "/0", "0", "0//0", "0/0/0", " 0/0", "0/0 ", "+1/0", "-1/0", "0x1/0",
            "1/G", "123456789/0", "0/123456789", "1 /0"})
    void parse_malformed_isRejectedWithTheText(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Lsn.parse(text));
        assertTrue(e.getMessage().contains("\"" + text + "\""), e.getMessage());
    }

    @Test
    void compareTo_ordersUnsigned() {
        List<Lsn> sorted = new ArrayList<>(List.of(new Lsn(-1), new Lsn(1), Lsn.ZERO, new Lsn(Long.MIN_VALUE), new Lsn(Long.MAX_VALUE)));
        sorted.sort(null);
        assertEquals(List.of(Lsn.ZERO, new Lsn(1), new Lsn(Long.MAX_VALUE), new Lsn(Long.MIN_VALUE), new Lsn(-1)), sorted);
        assertTrue(new Lsn(1).isBefore(new Lsn(2)));
        assertTrue(Lsn.ZERO.isZero());
    }

    @Test
    void toString_splitsHighAndLowWords() {
        assertEquals("1/0", new Lsn(1L << 32).toString());
        assertEquals("0/FFFFFFFF", new Lsn(0xFFFF_FFFFL).toString());
    }
}
