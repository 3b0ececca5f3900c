package dev.pgcapture.core.codec;

import static dev.pgcapture.core.codec.Fixtures.fixture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NetworkCodecsTest {

    static Stream<Arguments> postgresValues() {
        return Stream.of(
                fixture("'192.168.0.1'::inet", 869, "02200004c0a80001", inet4("c0a80001", 32), "192.168.0.1"),
                fixture("'192.168.0.1/24'::inet", 869, "02180004c0a80001", inet4("c0a80001", 24), "192.168.0.1/24"),
                fixture("'10.0.0.0/8'::cidr", 650, "020801040a000000", inet4("0a000000", 8), "10.0.0.0/8"),
                fixture("'0.0.0.0/0'::cidr", 650, "0200010400000000", inet4("00000000", 0), "0.0.0.0/0"),
                fixture("'::1'::inet", 869, "0380001000000000000000000000000000000001", inet6("00000000000000000000000000000001", 128),
                        "::1"),
                fixture("'2001:db8::1/64'::inet", 869, "0340001020010db8000000000000000000000001",
                        inet6("20010db8000000000000000000000001", 64), "2001:db8::1/64"),
                fixture("'2001:db8::/32'::cidr", 650, "0320011020010db8000000000000000000000000",
                        inet6("20010db8000000000000000000000000", 32), "2001:db8::/32"),
                fixture("'::ffff:1.2.3.4'::inet", 869, "0380001000000000000000000000ffff01020304",
                        inet6("00000000000000000000ffff01020304", 128), "::ffff:1.2.3.4"),
                fixture("'::1.2.3.4'::inet", 869, "0380001000000000000000000000000001020304",
                        inet6("00000000000000000000000001020304", 128), "::1.2.3.4"),
                fixture("'::2'::inet", 869, "0380001000000000000000000000000000000002", inet6("00000000000000000000000000000002", 128),
                        "::2"),
                fixture("'1:0:0:2:0:0:0:3'::inet", 869, "0380001000010000000000020000000000000003",
                        inet6("00010000000000020000000000000003", 128), "1:0:0:2::3"),
                fixture("'1:0:2:0:3:0:4:0'::inet", 869, "0380001000010000000200000003000000040000",
                        inet6("00010000000200000003000000040000", 128), "1:0:2:0:3:0:4:0"),
                fixture("'::'::inet", 869, "0380001000000000000000000000000000000000", inet6("00000000000000000000000000000000", 128),
                        "::"),
                fixture("'1::'::inet", 869, "0380001000010000000000000000000000000000", inet6("00010000000000000000000000000000", 128),
                        "1::"),
                fixture("'fe80::1:2:3:4'::inet", 869, "03800010fe800000000000000001000200030004",
                        inet6("fe800000000000000001000200030004", 128), "fe80::1:2:3:4"),
                fixture("'08:00:2b:01:02:03'::macaddr", 829, "08002b010203", "08:00:2b:01:02:03", "08:00:2b:01:02:03"),
                fixture("'08:00:2b:01:02:03:04:05'::macaddr8", 774, "08002b0102030405", "08:00:2b:01:02:03:04:05",
                        "08:00:2b:01:02:03:04:05"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("postgresValues")
    void decode_postgresSendOutput_givesJavaValueAndPostgresText(String sql, int oid, String hex, Object value, String text) {
        Fixtures.assertFixture(PgCodecs.builtIn(), sql, oid, hex, value, text);
    }

    @Test
    void decode_ipv4MappedAddress_staysIpv6() {
        PgInet mapped = (PgInet) PgCodecs.builtIn().decode(869, Fixtures.bytes("0380001000000000000000000000ffff01020304"));
        assertInstanceOf(Inet6Address.class, mapped.address());
    }

    @Test
    void pgInet_prefixLongerThanTheAddress_isRefused() throws UnknownHostException {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PgInet(InetAddress.getByName("10.0.0.1"), 33));
        assertEquals("prefix length 33 is outside 0..32 for 10.0.0.1", e.getMessage());
    }

    private static PgInet inet4(String hex, int prefix) {
        try {
            return new PgInet(InetAddress.getByAddress(HexFormat.of().parseHex(hex)), prefix);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static PgInet inet6(String hex, int prefix) {
        try {
            return new PgInet(Inet6Address.getByAddress(null, HexFormat.of().parseHex(hex), -1), prefix);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
